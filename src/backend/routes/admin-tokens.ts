/**
 * The admin API's access-token part (mirrors `outlook-iwa keys|audience|client`):
 * audiences, introspection clients, signing keys and the issued-token audit. Registered
 * inside `adminRoutes`, so the admin credential guards it. Names travel in the query, not
 * the path: an audience is often a URL.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { SIGNING_ALGS } from '../../protocol/access-token.ts';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { parseInput as parse } from '../../contract/input.ts';
import { ISSUED_MAX_LIMIT } from '../storage/access-tokens.ts';
import type { SigningKeyRecord, Store } from '../storage/types.ts';
import { keyState, rotateSigningKey } from '../tokens/service.ts';

const nameQuery = z.strictObject({ name: z.string() });
const audienceBody = z.strictObject({
  name: z.string(),
  lifetimeSeconds: z.number().int('must be a whole number').optional(),
});
const clientBody = z.strictObject({ name: z.string() });
const rotateBody = z.strictObject({ alg: z.enum(SIGNING_ALGS).optional() }).optional();
const kidParams = z.strictObject({ kid: z.string() });
const issuedQuery = z.strictObject({
  mailbox: z.string().optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(ISSUED_MAX_LIMIT).optional(),
});

/** What `keys list` shows of a key: never the sealed private key. */
export function keyView(key: SigningKeyRecord, now: Date) {
  return {
    kid: key.kid,
    alg: key.alg,
    state: keyState(key, now),
    createdAt: key.createdAt,
    rotatedAt: key.rotatedAt,
    publishUntil: key.publishUntil,
    retiredAt: key.retiredAt,
  };
}

export interface AdminTokenRoutesOptions {
  readonly store: Store;
  readonly keyEncryptionKey: Uint8Array | undefined;
}

/** Register inside `adminRoutes` (docs/interface.md, "Access tokens"). */
export const adminTokenRoutes: FastifyPluginAsync<AdminTokenRoutesOptions> = (
  app,
  { store, keyEncryptionKey },
) => {
  const notFound = (what: string, name: string) =>
    new IwaError('NOT_FOUND', { field: 'name', name }, `There is no ${what} named ${name}.`);

  app.get('/audiences', async () => ({ audiences: await store.accessTokens.audiences.list() }));

  app.post('/audiences', async (req, reply) => {
    const { name, lifetimeSeconds } = parse(audienceBody, req.body);
    const audience = await store.accessTokens.audiences.add({
      name,
      ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
    });
    return reply.status(201).send(audience);
  });

  app.delete('/audiences', async (req) => {
    const { name } = parse(nameQuery, req.query);
    if (!(await store.accessTokens.audiences.remove(name))) throw notFound('audience', name);
    return { removed: name };
  });

  app.get('/clients', async () => ({ clients: await store.accessTokens.clients.list() }));

  app.post('/clients', async (req, reply) => {
    const { name } = parse(clientBody, req.body);
    const { client, credential } = await store.accessTokens.clients.add(name);
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .send({ ...client, credential });
  });

  app.delete('/clients', async (req) => {
    const { name } = parse(nameQuery, req.query);
    if (!(await store.accessTokens.clients.remove(name))) throw notFound('client', name);
    return { removed: name };
  });

  app.get('/keys', async () => {
    const now = new Date();
    return { keys: (await store.accessTokens.keys.list()).map((k) => keyView(k, now)) };
  });

  app.post('/keys/rotate', async (req, reply) => {
    const body = parse(rotateBody, req.body);
    const key = await rotateSigningKey(store, keyEncryptionKey, body?.alg);
    return reply.status(201).send(keyView(key, new Date()));
  });

  app.post('/keys/:kid/retire', async (req) => {
    const { kid } = parse(kidParams, req.params);
    if (!(await store.accessTokens.keys.retire(kid))) {
      throw new IwaError('NOT_FOUND', { field: 'kid' }, 'There is no such key, or it is retired already.');
    }
    return { retired: kid };
  });

  app.get('/tokens', async (req) => {
    const q = parse(issuedQuery, req.query);
    return {
      tokens: await store.accessTokens.issued.query({
        ...(q.mailbox === undefined ? {} : { mailbox: parseMailbox(q.mailbox) }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      }),
    };
  });
  return Promise.resolve();
};
