import type { Selectable } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { resolveEffectiveProfile } from '../profiles/resolve.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { parseProfileInput, parseProfilePatch } from '../profiles/schema.ts';
import { type Ctx, type Db, guarded, isUniqueViolation, millis, writeTx } from './db.ts';
import { firstOrNull } from './queries.ts';
import type { ProfilesTable } from './schema.ts';
import type { ProfileStore } from './types.ts';
import type { Method, Profile, ProfileInput } from '../domain.ts';

function toProfile(row: Selectable<ProfilesTable>): Profile {
  return {
    name: row.name,
    description: row.description,
    methods: JSON.parse(row.methods) as Method[],
    casUrl: row.cas_url,
    casCa: row.cas_ca,
    sessionTtlSeconds: row.session_ttl_seconds,
    idleTtlSeconds: row.idle_ttl_seconds,
    isDefault: row.is_default === 1,
    domains: JSON.parse(row.domains) as string[],
    mailboxes: JSON.parse(row.mailboxes) as string[],
    precedence: row.precedence,
    createdAt: new Date(millis(row.created_at)),
    updatedAt: new Date(millis(row.updated_at)),
  };
}

function toRow(p: ProfileInput): Omit<ProfilesTable, 'created_at' | 'updated_at'> {
  return {
    name: p.name,
    description: p.description,
    methods: JSON.stringify(p.methods),
    cas_url: p.casUrl,
    cas_ca: p.casCa,
    session_ttl_seconds: p.sessionTtlSeconds,
    idle_ttl_seconds: p.idleTtlSeconds,
    is_default: p.isDefault ? 1 : 0,
    domains: JSON.stringify(p.domains),
    mailboxes: JSON.stringify(p.mailboxes),
    precedence: p.precedence,
  };
}

function defaultConflict(existing: string): IwaError {
  return new IwaError(
    'CONFLICT',
    { field: 'default', existing },
    `Profile ${existing} is already the default profile; there can be only one.`,
  );
}

/** Refuses a second default profile; the unique index backs this up against races. */
async function assertNoOtherDefault(trx: Db, name: string): Promise<void> {
  const other = await trx
    .selectFrom('profiles')
    .select('name')
    .where('is_default', '=', 1)
    .where('name', '<>', name)
    .executeTakeFirst();
  if (other !== undefined) throw defaultConflict(other.name);
}

/** Maps a unique violation that slipped past the checks (a concurrent writer) to CONFLICT. */
function conflictFromDb(err: unknown, name: string): unknown {
  if (isUniqueViolation(err, 'is_default') || isUniqueViolation(err, 'profiles_one_default')) {
    return defaultConflict('(another profile)');
  }
  if (isUniqueViolation(err)) return duplicate(name);
  return err;
}

function duplicate(name: string): IwaError {
  return new IwaError('CONFLICT', { field: 'name', name }, `A profile named ${name} already exists.`);
}

function notFound(name: string): IwaError {
  return new IwaError('NOT_FOUND', { field: 'name', name }, `There is no profile named ${name}.`);
}

/** Profiles over Kysely: validation here, so the CLI and the API cannot differ. */
export function profileStore(ctx: Ctx): ProfileStore {
  const list = async (): Promise<Profile[]> =>
    (await ctx.db.selectFrom('profiles').selectAll().orderBy('name').execute()).map(toProfile);

  return {
    create: (draft) =>
      guarded(async () => {
        const input = parseProfileInput(draft);
        const now = ctx.now().getTime();
        try {
          await writeTx(ctx, async (trx) => {
            const existing = await trx
              .selectFrom('profiles')
              .select('name')
              .where('name', '=', input.name)
              .executeTakeFirst();
            if (existing !== undefined) throw duplicate(input.name);
            if (input.isDefault) await assertNoOtherDefault(trx, input.name);
            await trx
              .insertInto('profiles')
              .values({ ...toRow(input), created_at: now, updated_at: now })
              .execute();
          });
        } catch (err) {
          throw conflictFromDb(err, input.name);
        }
        return { ...input, createdAt: new Date(now), updatedAt: new Date(now) };
      }),

    get: (name) =>
      guarded(() =>
        firstOrNull(ctx.db.selectFrom('profiles').selectAll().where('name', '=', name), toProfile),
      ),

    list: () => guarded(list),

    update: (name, patch) =>
      guarded(async () => {
        // A key given as undefined means "not given", not "back to the default".
        const changes = Object.fromEntries(
          Object.entries(parseProfilePatch(patch)).filter(([, v]: [string, unknown]) => v !== undefined),
        );
        const now = ctx.now().getTime();
        try {
          return await writeTx(ctx, async (trx) => {
            const row = await trx
              .selectFrom('profiles')
              .selectAll()
              .where('name', '=', name)
              .executeTakeFirst();
            if (row === undefined) throw notFound(name);
            const current = toProfile(row);
            // Re-validate the merged whole: cross-field rules (idle ≤ session) span old and new.
            const fields: Record<string, unknown> = { ...current, ...changes };
            delete fields.createdAt;
            delete fields.updatedAt;
            const merged = parseProfileInput(fields);
            if (merged.isDefault) await assertNoOtherDefault(trx, name);
            await trx
              .updateTable('profiles')
              .set({ ...toRow(merged), updated_at: now })
              .where('name', '=', name)
              .execute();
            return { ...merged, createdAt: current.createdAt, updatedAt: new Date(now) };
          });
        } catch (err) {
          throw conflictFromDb(err, name);
        }
      }),

    delete: (name) =>
      guarded(() =>
        writeTx(ctx, async (trx) => {
          // Explicit, although the foreign key cascades too, so the count can be reported.
          const revoked = await trx.deleteFrom('sessions').where('profile', '=', name).executeTakeFirst();
          const deleted = await trx.deleteFrom('profiles').where('name', '=', name).executeTakeFirst();
          if (deleted.numDeletedRows === 0n) throw notFound(name);
          return { revokedSessions: Number(revoked.numDeletedRows) };
        }),
      ),

    effective: (mailbox) =>
      guarded(async () => {
        const address = parseMailbox(mailbox);
        return resolveEffectiveProfile(await list(), address);
      }),
  };
}
