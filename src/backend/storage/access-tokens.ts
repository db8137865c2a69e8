/**
 * What access tokens need to persist (migration 4): signing keys (private keys sealed by the
 * caller; this layer never sees them in clear), the registered audiences, introspection
 * clients and the audit trail of issued tokens. See docs/access-tokens.md.
 */
import type { Selectable } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import {
  AUDIENCE_LIMITS,
  ISSUED_MAX_LIMIT,
  audienceNameProblem,
  lifetimeProblem,
} from '../../protocol/access-token.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { type Ctx, type Db, guarded, isUniqueViolation, millis, writeTx } from './db.ts';
import type {
  SigningKeysTable,
  TokenAudiencesTable,
  TokenClientsTable,
  TokenIssuancesTable,
} from './schema.ts';
import { deletedRows, firstOrNull } from './queries.ts';
import { mintToken, rowForToken } from './tokens.ts';
import type {
  AccessTokenStore,
  Audience,
  NewSigningKey,
  SigningKeyRecord,
  TokenClient,
  TokenIssuance,
} from './types.ts';

const SUBJECT_SECRET = 'subject_secret';
const SUBJECT_SECRET_BYTES = 32;
export const ISSUED_DEFAULT_LIMIT = 100;
export { ISSUED_MAX_LIMIT };

const date = (v: number | string | null) => (v === null ? null : new Date(millis(v)));

function toKey(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg === 'RS256' ? 'RS256' : 'ES256',
    publicJwk: row.public_jwk,
    privateKey: row.private_key,
    createdAt: new Date(millis(row.created_at)),
    rotatedAt: date(row.rotated_at),
    publishUntil: date(row.publish_until),
    retiredAt: date(row.retired_at),
  };
}

function toAudience(row: Selectable<TokenAudiencesTable>): Audience {
  return {
    name: row.name,
    lifetimeSeconds: row.lifetime_seconds,
    createdAt: new Date(millis(row.created_at)),
  };
}

function toClient(row: Pick<Selectable<TokenClientsTable>, 'name' | 'created_at'>): TokenClient {
  return { name: row.name, createdAt: new Date(millis(row.created_at)) };
}

function toIssuance(row: Selectable<TokenIssuancesTable>): TokenIssuance {
  return {
    jti: row.jti,
    at: new Date(millis(row.at)),
    mailbox: row.mailbox,
    audience: row.audience,
    sessionId: row.session_id,
    kid: row.kid,
    expiresAt: new Date(millis(row.expires_at)),
  };
}

const invalid = (field: string, problem: string) =>
  new IwaError('INPUT_INVALID', { field, problem }, `Invalid ${field}: ${problem}.`);

/** Runs an insert of a named row; a unique violation (the name is taken) becomes `CONFLICT`. */
async function insertNamed(what: string, name: string, insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new IwaError('CONFLICT', { field: 'name' }, `The ${what} ${name} exists already.`);
    }
    throw err;
  }
}

/** The access-token tables over Kysely (migration 4; docs/access-tokens.md). */
export function accessTokenStore(ctx: Ctx): AccessTokenStore {
  const activeIn = (db: Db) =>
    db
      .selectFrom('signing_keys')
      .selectAll()
      .where('rotated_at', 'is', null)
      .where('retired_at', 'is', null)
      // Two instances may have raced to make the first key: the newest one signs.
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc');

  /** Deletes a named audience or client; says whether there was one. */
  const removeNamed = (table: 'token_audiences' | 'token_clients') => (name: string) =>
    guarded(async () => (await deletedRows(ctx.db.deleteFrom(table).where('name', '=', name))) > 0);

  const insertKey = (db: Db, key: NewSigningKey) =>
    db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: key.publicJwk,
        private_key: key.privateKey,
        created_at: ctx.now().getTime(),
        rotated_at: null,
        publish_until: null,
        retired_at: null,
      })
      .execute();

  return {
    keys: {
      active: () => guarded(() => firstOrNull(activeIn(ctx.db), toKey)),

      addIfNone: (key) =>
        guarded(() =>
          writeTx(ctx, async (trx) => {
            const existing = await activeIn(trx).executeTakeFirst();
            if (existing !== undefined) return toKey(existing);
            await insertKey(trx, key);
            const row = await activeIn(trx).executeTakeFirst();
            if (row === undefined) throw new IwaError('INTERNAL', { cause: 'signing key vanished' });
            return toKey(row);
          }),
        ),

      rotate: (key, publishSeconds) =>
        guarded(() =>
          writeTx(ctx, async (trx) => {
            const now = ctx.now().getTime();
            await trx
              .updateTable('signing_keys')
              .set({ rotated_at: now, publish_until: now + publishSeconds * 1000 })
              .where('rotated_at', 'is', null)
              .where('retired_at', 'is', null)
              .execute();
            await insertKey(trx, key);
            const row = await trx
              .selectFrom('signing_keys')
              .selectAll()
              .where('kid', '=', key.kid)
              .executeTakeFirstOrThrow();
            return toKey(row);
          }),
        ),

      published: () =>
        guarded(async () => {
          const now = ctx.now().getTime();
          const rows = await ctx.db
            .selectFrom('signing_keys')
            .selectAll()
            .where('retired_at', 'is', null)
            .where((eb) => eb.or([eb('publish_until', 'is', null), eb('publish_until', '>', now)]))
            .orderBy('created_at', 'desc')
            .orderBy('kid', 'desc')
            .execute();
          return rows.map(toKey);
        }),

      list: () =>
        guarded(async () => {
          const rows = await ctx.db
            .selectFrom('signing_keys')
            .selectAll()
            .orderBy('created_at', 'desc')
            .orderBy('kid', 'desc')
            .execute();
          return rows.map(toKey);
        }),

      retire: (kid) =>
        guarded(async () => {
          const result = await ctx.db
            .updateTable('signing_keys')
            .set({ retired_at: ctx.now().getTime() })
            .where('kid', '=', kid)
            .where('retired_at', 'is', null)
            .executeTakeFirst();
          return result.numUpdatedRows > 0n;
        }),
    },

    audiences: {
      add: ({ name, lifetimeSeconds = AUDIENCE_LIMITS.defaultLifetimeSeconds }) =>
        guarded(async () => {
          const nameProblem = audienceNameProblem(name);
          if (nameProblem !== null) throw invalid('name', nameProblem);
          const lifetime = lifetimeProblem(lifetimeSeconds);
          if (lifetime !== null) throw invalid('lifetime', lifetime);
          const row = { name, lifetime_seconds: lifetimeSeconds, created_at: ctx.now().getTime() };
          await insertNamed('audience', name, () =>
            ctx.db.insertInto('token_audiences').values(row).execute(),
          );
          return { name, lifetimeSeconds, createdAt: new Date(row.created_at) };
        }),

      get: (name) =>
        guarded(() =>
          firstOrNull(ctx.db.selectFrom('token_audiences').selectAll().where('name', '=', name), toAudience),
        ),

      list: () =>
        guarded(async () => {
          const rows = await ctx.db.selectFrom('token_audiences').selectAll().orderBy('name').execute();
          return rows.map(toAudience);
        }),

      remove: removeNamed('token_audiences'),
    },

    clients: {
      add: (name) =>
        guarded(async () => {
          const problem = audienceNameProblem(name);
          if (problem !== null) throw invalid('name', problem);
          const { id, token, secretHash } = mintToken(ctx.randomBytes);
          const createdAt = ctx.now().getTime();
          await insertNamed('client', name, () =>
            ctx.db
              .insertInto('token_clients')
              .values({ id, name, secret_hash: secretHash, created_at: createdAt })
              .execute(),
          );
          return { client: { name, createdAt: new Date(createdAt) }, credential: token };
        }),

      verify: (credential) =>
        guarded(async () => {
          const row = await rowForToken(credential, (id) =>
            ctx.db.selectFrom('token_clients').selectAll().where('id', '=', id).executeTakeFirst(),
          );
          return row === null ? null : toClient(row);
        }),

      list: () =>
        guarded(async () => {
          const rows = await ctx.db
            .selectFrom('token_clients')
            .select(['name', 'created_at'])
            .orderBy('name')
            .execute();
          return rows.map(toClient);
        }),

      remove: removeNamed('token_clients'),
    },

    issued: {
      record: (e) =>
        guarded(async () => {
          await ctx.db
            .insertInto('token_issuances')
            .values({
              jti: e.jti,
              at: e.at.getTime(),
              mailbox: parseMailbox(e.mailbox),
              audience: e.audience,
              session_id: e.sessionId,
              kid: e.kid,
              expires_at: e.expiresAt.getTime(),
            })
            .execute();
        }),

      query: (q = {}) =>
        guarded(async () => {
          let query = ctx.db.selectFrom('token_issuances').selectAll();
          if (q.mailbox !== undefined) query = query.where('mailbox', '=', parseMailbox(q.mailbox));
          const limit = Math.min(Math.max(Math.trunc(q.limit ?? ISSUED_DEFAULT_LIMIT), 1), ISSUED_MAX_LIMIT);
          const rows = await query.orderBy('at', 'desc').orderBy('jti').limit(limit).execute();
          return rows.map(toIssuance);
        }),
    },

    subjectSecret: () =>
      guarded(async () => {
        const read = () =>
          ctx.db
            .selectFrom('token_settings')
            .select('value')
            .where('name', '=', SUBJECT_SECRET)
            .executeTakeFirst();
        let row = await read();
        if (row === undefined) {
          const fresh = Buffer.from(ctx.randomBytes(SUBJECT_SECRET_BYTES)).toString('base64url');
          // Whoever inserts first wins; everyone then reads the same value.
          await ctx.db
            .insertInto('token_settings')
            .values({ name: SUBJECT_SECRET, value: fresh })
            .onConflict((oc) => oc.column('name').doNothing())
            .execute();
          row = await read();
        }
        if (row === undefined) throw new IwaError('INTERNAL', { cause: 'subject secret vanished' });
        return new Uint8Array(Buffer.from(row.value, 'base64url'));
      }),
  };
}
