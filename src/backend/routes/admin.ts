/**
 * The admin HTTP API under `/api/admin/…`: profiles, sessions and the audit trail, behind
 * the admin credential (`outlook-iwa admin token`). Bodies and queries go through the same
 * zod schemas as the CLI; a wrong one gets 400 `INPUT_INVALID` naming the field.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { parseInput as parse } from '../../contract/input.ts';
import { parseProfileInput, parseProfilePatch } from '../profiles/schema.ts';
import { AUDIT_MAX_LIMIT } from '../storage/audit.ts';
import type { Store } from '../storage/types.ts';
import { adminTokenRoutes } from './admin-tokens.ts';
import { parseBearer } from './session.ts';

/** A profile with a full CA bundle and 1000 domains and mailboxes fits comfortably. */
const PROFILE_BODY_LIMIT = 1024 * 1024;

const date = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
  .transform((s) => new Date(s));

const mailboxQuery = z.strictObject({ mailbox: z.string() });
const optionalMailboxQuery = z.strictObject({ mailbox: z.string().optional() });
const auditQuery = z.strictObject({
  mailbox: z.string().optional(),
  since: date.optional(),
  until: date.optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(AUDIT_MAX_LIMIT).optional(),
});
const bindingTarget = z.union([
  z.strictObject({ mailbox: z.string() }),
  z.strictObject({ amurl: z.string().min(1), msexchuid: z.string().min(1) }),
]);
const nameParams = z.strictObject({ name: z.string() });
const idParams = z.strictObject({ id: z.string() });

export interface AdminRoutesOptions {
  readonly store: Store;
  /** For `POST /keys/rotate`; undefined when access tokens are off. */
  readonly keyEncryptionKey?: Uint8Array | undefined;
}

/** Register with `{ prefix: '/api/admin' }`. */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (
  app,
  { store, keyEncryptionKey },
) => {
  // Every route of this plugin, and only those, needs the admin credential.
  app.addHook('onRequest', async (req) => {
    const credential = parseBearer(req.headers.authorization);
    if (credential === null || !(await store.adminCredentials.verify(credential))) {
      throw new IwaError('ADMIN_UNAUTHORIZED');
    }
  });

  // Audiences, clients, keys, issued tokens; inside this scope, so behind the hook above.
  await app.register(adminTokenRoutes, { store, keyEncryptionKey });

  const notFound = (name: string) =>
    new IwaError('NOT_FOUND', { field: 'name', name }, `There is no profile named ${name}.`);

  app.get('/profiles', async () => ({ profiles: await store.profiles.list() }));

  app.post('/profiles', { bodyLimit: PROFILE_BODY_LIMIT }, async (req, reply) => {
    const profile = await store.profiles.create(parseProfileInput(req.body));
    return reply.status(201).send(profile);
  });

  app.get('/profiles/effective', async (req) => {
    const { mailbox } = parse(mailboxQuery, req.query);
    const effective = await store.profiles.effective(parseMailbox(mailbox));
    if (effective === null) throw new IwaError('PROFILE_NOT_FOUND', { mailbox: parseMailbox(mailbox) });
    return effective;
  });

  app.get('/profiles/:name', async (req) => {
    const { name } = parse(nameParams, req.params);
    const profile = await store.profiles.get(name);
    if (profile === null) throw notFound(name);
    return profile;
  });

  app.patch('/profiles/:name', { bodyLimit: PROFILE_BODY_LIMIT }, async (req) => {
    const { name } = parse(nameParams, req.params);
    return store.profiles.update(name, parseProfilePatch(req.body));
  });

  app.delete('/profiles/:name', async (req) => {
    const { name } = parse(nameParams, req.params);
    const { revokedSessions } = await store.profiles.delete(name);
    return { deleted: name, revokedSessions };
  });

  app.get('/sessions', async (req) => {
    const { mailbox } = parse(optionalMailboxQuery, req.query);
    return {
      sessions: await store.sessions.list(mailbox === undefined ? {} : { mailbox: parseMailbox(mailbox) }),
    };
  });

  app.delete('/sessions/:id', async (req) => {
    const { id } = parse(idParams, req.params);
    if (!(await store.sessions.revoke(id))) {
      throw new IwaError('NOT_FOUND', { field: 'id' }, 'There is no such session.');
    }
    return { revoked: 1 };
  });

  // Only for one mailbox: "revoke everything" by a forgotten parameter would be too easy.
  // The mailbox's identity-token bindings go too: they must not outlive the revocation.
  app.delete('/sessions', async (req) => {
    const { mailbox } = parse(mailboxQuery, req.query);
    const revoked = await store.revokeMailbox(parseMailbox(mailbox));
    return { revoked: revoked.sessions, revokedBindings: revoked.bindings };
  });

  app.get('/bindings', async (req) => {
    const { mailbox } = parse(optionalMailboxQuery, req.query);
    return {
      bindings: await store.bindings.list(mailbox === undefined ? {} : { mailbox: parseMailbox(mailbox) }),
    };
  });

  // As `outlook-iwa binding revoke`: every binding of a mailbox, or one by its key.
  app.delete('/bindings', async (req) => {
    const target = parse(bindingTarget, req.query);
    return {
      revoked:
        'mailbox' in target
          ? await store.bindings.revokeMailbox(parseMailbox(target.mailbox))
          : await store.bindings.revoke(target.amurl, target.msexchuid),
    };
  });

  app.get('/audit', async (req) => {
    const q = parse(auditQuery, req.query);
    const mailbox = q.mailbox === undefined ? undefined : parseMailbox(q.mailbox);
    return {
      entries: await store.audit.query({
        ...(mailbox === undefined ? {} : { mailbox }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      }),
    };
  });
};
