import {
  classifyConvertId,
  classifyGetFolder,
  classifyIdentity,
  type CasAnswer,
} from '../../protocol/classify.ts';
import { buildConvertIdRequest, buildGetFolderRequest } from '../../protocol/ews.ts';

/** The part of an upstream connection the probe needs: a POST on the authenticated socket. */
export interface ProbeConnection {
  post(body: string, authorization?: string): Promise<CasAnswer>;
}

/**
 * Learns which mailbox the CAS authenticated. Kept in one module so another proof (Autodiscover,
 * a different EWS call) can replace it without touching the relay.
 */
export interface IdentityProbe {
  /** The SOAP body that carries every handshake leg; its 200 answer starts the proof. */
  firstRequest(): string;
  /**
   * Given the CAS's 200 to `firstRequest`, learns the caller's primary SMTP address and returns
   * it if it is `claimed`; otherwise throws `IDENTITY_MISMATCH` naming both.
   */
  prove(connection: ProbeConnection, firstAnswer: CasAnswer, claimed: string): Promise<string>;
}

const GET_FOLDER = buildGetFolderRequest().body;

/**
 * docs/architecture.md §2: the handshake carries `GetFolder` of `msgfolderroot` with no `Mailbox` (the
 * caller's own), then `ConvertId` of that folder's EwsId goes out on the same connection with no
 * new `Authorization`; the answer's `AlternateId/@Mailbox` is the owner's primary SMTP address.
 * Both operations exist since Exchange 2007 SP1.
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 */
export const ewsIdentityProbe: IdentityProbe = {
  firstRequest: () => GET_FOLDER,
  async prove(connection, firstAnswer, claimed) {
    const folder = classifyGetFolder(firstAnswer);
    if (folder.kind === 'error') throw folder.error;
    const converted = classifyConvertId(
      await connection.post(buildConvertIdRequest({ id: folder.folder.id }).body),
    );
    if (converted.kind === 'error') throw converted.error;
    const identity = classifyIdentity(converted.alternateId, claimed);
    if (identity.kind === 'error') throw identity.error;
    return identity.mailbox;
  },
};
