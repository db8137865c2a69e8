// Your own API, trusting the Outlook user that outlook-iwa proved (npm install jose).
import { createRemoteJWKSet, jwtVerify } from 'jose';

const issuer = process.env.IWA_ISSUER ?? 'https://iwa.corp.example'; // outlook-iwa's --public-url
const audience = process.env.API_AUDIENCE ?? 'https://api.corp.example'; // `outlook-iwa audience add`
const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

/** The proven mailbox behind `Authorization: Bearer <token>`; throws unless we issued it for you. */
export async function outlookUser(authorization = '') {
  const token = authorization.replace(/^Bearer /i, '');
  const { payload } = await jwtVerify(token, jwks, { issuer, audience, algorithms: ['ES256', 'RS256'] });
  return { mailbox: String(payload.email), sub: payload.sub, amr: payload.amr };
}
