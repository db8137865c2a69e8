import type { Selectable } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { type Ctx, type Db, guarded, isForeignKeyViolation, millis } from './db.ts';
import type { SessionsTable } from './schema.ts';
import { deletedRows } from './queries.ts';
import { mintToken, parseToken, secretMatches } from './tokens.ts';
import type { IssueSessionInput, SessionStore } from './types.ts';
import type { IssuedSession, Mechanism, Method, Session } from '../domain.ts';

/**
 * The only way a row becomes a `Session`: it picks fields one by one, so the secret's hash
 * can never end up in a serialised session.
 */
function toSession(row: Selectable<SessionsTable>): Session {
  const lastSeen = millis(row.last_seen_at);
  const expires = millis(row.expires_at);
  return {
    id: row.id,
    mailbox: row.mailbox,
    method: row.method as Method,
    mechanism: row.mechanism as Mechanism | null,
    profile: row.profile,
    createdAt: new Date(millis(row.created_at)),
    lastSeenAt: new Date(lastSeen),
    expiresAt: new Date(expires),
    idleExpiresAt: new Date(Math.min(expires, lastSeen + row.idle_ttl_seconds * 1000)),
  };
}

function isLive(session: Session, now: number): boolean {
  return now < session.expiresAt.getTime() && now < session.idleExpiresAt.getTime();
}

/** `reason` is for logs and tests; it tells the holder nothing they could not know. */
const invalid = (reason: 'malformed' | 'unknown' | 'expired') => new IwaError('SESSION_INVALID', { reason });

/**
 * Mints a session and inserts its row through `db` (the store's connection, or a transaction
 * that also writes the sign-in's audit row: storage/sign-in.ts).
 */
export async function insertSession(ctx: Ctx, db: Db, input: IssueSessionInput): Promise<IssuedSession> {
  const { mailbox, method, mechanism, profile } = input;
  const address = parseMailbox(mailbox);
  const now = ctx.now().getTime();
  const { id, token, secretHash } = mintToken(ctx.randomBytes);
  const row = {
    id,
    secret_hash: secretHash,
    mailbox: address,
    method,
    mechanism,
    profile: profile.name,
    created_at: now,
    last_seen_at: now,
    expires_at: now + profile.sessionTtlSeconds * 1000,
    idle_ttl_seconds: profile.idleTtlSeconds,
  };
  try {
    await db.insertInto('sessions').values(row).execute();
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new IwaError('PROFILE_NOT_FOUND', { profile: profile.name });
    throw err;
  }
  return { token, session: toSession(row) };
}

/** Sessions over Kysely (lucia style). */
export function sessionStore(ctx: Ctx): SessionStore {
  /** Finds and checks the session a token names; deletes it if it has expired. */
  const check = async (token: string): Promise<Session> => {
    const parsed = parseToken(token);
    if (parsed === null) throw invalid('malformed');
    const row = await ctx.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    // A wrong secret for a real id reads as "unknown": no oracle for which ids exist.
    if (row === undefined || !secretMatches(parsed.secret, row.secret_hash)) throw invalid('unknown');
    const session = toSession(row);
    if (!isLive(session, ctx.now().getTime())) {
      await ctx.db.deleteFrom('sessions').where('id', '=', row.id).execute();
      throw invalid('expired');
    }
    return session;
  };

  return {
    issue: (input) => guarded(() => insertSession(ctx, ctx.db, input)),

    verify: (token) =>
      guarded(async () => {
        const session = await check(token);
        // Sliding idle expiry: every verified use pushes the idle deadline out.
        const now = ctx.now().getTime();
        const row = await ctx.db
          .updateTable('sessions')
          .set({ last_seen_at: now })
          .where('id', '=', session.id)
          .returningAll()
          .executeTakeFirst();
        // Revoked between the check and the update: it is revoked.
        if (row === undefined) throw invalid('unknown');
        return toSession(row);
      }),

    get: (id) =>
      guarded(async () => {
        const row = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
        if (row === undefined) return null;
        const session = toSession(row);
        return isLive(session, ctx.now().getTime()) ? session : null;
      }),

    revoke: (id) =>
      guarded(async () => (await deletedRows(ctx.db.deleteFrom('sessions').where('id', '=', id))) > 0),

    revokeByToken: (token) =>
      guarded(async () => {
        const session = await check(token);
        await ctx.db.deleteFrom('sessions').where('id', '=', session.id).execute();
      }),

    revokeMailbox: (mailbox) =>
      guarded(() => deletedRows(ctx.db.deleteFrom('sessions').where('mailbox', '=', parseMailbox(mailbox)))),

    sweepExpired: () =>
      guarded(async () => {
        const now = ctx.now().getTime();
        // Idle expiry is last_seen_at + idle_ttl_seconds·1000, computed the same way on both dialects.
        return deletedRows(
          ctx.db
            .deleteFrom('sessions')
            .where((eb) =>
              eb.or([
                eb('expires_at', '<=', now),
                eb(eb('last_seen_at', '+', eb('idle_ttl_seconds', '*', 1000)), '<=', now),
              ]),
            ),
        );
      }),

    list: (filter = {}) =>
      guarded(async () => {
        let query = ctx.db.selectFrom('sessions').selectAll();
        if (filter.mailbox !== undefined) query = query.where('mailbox', '=', parseMailbox(filter.mailbox));
        const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
        const now = ctx.now().getTime();
        return rows.map(toSession).filter((s) => isLive(s, now));
      }),
  };
}
