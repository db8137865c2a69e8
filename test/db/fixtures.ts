/**
 * Test fixtures shared by the storage, CLI and API tests. The certificates are throw-away,
 * self-signed test CAs (their keys were discarded); they only need to parse.
 */

export const TEST_CA_1 = `
-----BEGIN CERTIFICATE-----
MIIBkzCCATmgAwIBAgIUMipeKVku2/0ErKujIdsHgnvr4+wwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTT3V0bG9vayBJV0EgdGVzdCBDQTAgFw0yNjExMjcyMjA1MTBa
GA8yMTI2MTEwMzIyMDUxMFowHjEcMBoGA1UEAwwTT3V0bG9vayBJV0EgdGVzdCBD
QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAnvqRs5a4SnDOLHERzzs6QDtXlS
f8ANOHgOqN5R6H29WEhvXBxHsb7v7nO2AJ1Gk04/sPKGEaa3OsrUUw65olSjUzBR
MB0GA1UdDgQWBBRwPDa9AmxnI7tS9D3wxKC9Rf+kETAfBgNVHSMEGDAWgBRwPDa9
AmxnI7tS9D3wxKC9Rf+kETAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA
MEUCIDdLpgf7wrrAeZwINUV1kx6QBMZlgluu464zPd+p41rTAiEAgFJNaJ2i9U25
WgwfaLxeXpT22ryltpaFkZVpwBixiWI=
-----END CERTIFICATE-----
`.trimStart();

export const TEST_CA_2 = `
-----BEGIN CERTIFICATE-----
MIIBljCCAT2gAwIBAgIUdxtif95vGtvR1ijqN1+uZ91QiLcwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVT3V0bG9vayBJV0EgdGVzdCBDQSAyMCAXDTI2MTEyNzIyMDUx
MFoYDzIxMjYxMTAzMjIwNTEwWjAgMR4wHAYDVQQDDBVPdXRsb29rIElXQSB0ZXN0
IENBIDIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATFg6lrJOfZmsKZtuey2vI/
4qVxThnMyHReUJWITX7klscEPanpfP67M3XWHg70mYVxhXb4icep4iggpTPJSMb0
o1MwUTAdBgNVHQ4EFgQUYnSnDAfr+D4ggImB8j4lUCg6uy4wHwYDVR0jBBgwFoAU
YnSnDAfr+D4ggImB8j4lUCg6uy4wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNHADBEAiAjdi/5qYzrBNw/VRSqr5TPFkXKZrk7y7VEByOGoZGf8gIgWE9jtEbF
jPV/bX1z41uvF2pVWTajvwBLuqoRiLEN0uM=
-----END CERTIFICATE-----
`;

/** Two certificates in one bundle, as an admin would paste a chain. */
export const TEST_CA_BUNDLE = `${TEST_CA_1}${TEST_CA_2}`;

/** Shaped like a certificate, but the base64 inside is not DER. */
export const BROKEN_CERT =
  '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';

/** A private key pasted by mistake next to a certificate (a fake body): must be refused. */
export const CERT_WITH_KEY = `${TEST_CA_1}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`;

export const CAS_URL = 'https://cas.corp.test/EWS/Exchange.asmx';
