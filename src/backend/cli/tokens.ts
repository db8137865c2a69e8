/**
 * `outlook-iwa keys list|rotate|retire`, `audience add|list|remove` and
 * `client add|list|remove`: the access-token issuer's admin commands
 * (docs/access-tokens.md). The admin API under `/api/admin/` mirrors them.
 */
import type { Command } from 'commander';
import {
  AUDIENCE_LIMITS,
  ISSUED_MAX_LIMIT,
  SIGNING_ALGS,
  type SigningAlg,
} from '../../protocol/access-token.ts';
import { IwaError } from '../../protocol/errors.ts';
import { formatDuration, parseDuration } from '../profiles/schema.ts';
import type { keyView } from '../routes/admin-tokens.ts';
import type { Audience, Store, TokenClient, TokenIssuance } from '../storage/types.ts';
import { KEK_FLAG, kekMissing, loadKek } from '../tokens/kek.ts';
import {
  type CommonOptions,
  badFlag,
  group,
  readCommand,
  removeCommand,
  showCredential,
  report,
  storeCommand,
  useStore,
  when,
} from './admin.ts';
import { option, tableOr } from './options.ts';

/** `--key-encryption-key-file`, for `serve` and `keys rotate`. */
export function kekOption() {
  return option(
    `${KEK_FLAG} <file>`,
    'file with the 32-byte key that seals access-token signing keys (mode 0600); without it tokens are off',
  );
}

/** The KEK named by the flag, or `KEY_ENCRYPTION_KEY_MISSING` saying why tokens are off. */
export function requireKek(file: string | undefined): Buffer {
  if (file === undefined) throw kekMissing();
  return loadKek(file);
}

/** Signing and key views load jose and the admin routes: only the commands that use them pay. */
async function tokenAdmin() {
  const [{ keyView }, { rotateSigningKey }] = await Promise.all([
    import('../routes/admin-tokens.ts'),
    import('../tokens/service.ts'),
  ]);
  return { keyView, rotateSigningKey };
}

type KeyView = ReturnType<typeof keyView>;

const formatKeys = tableOr(
  'No signing keys yet; the first token request makes one.',
  ['KID', 'ALG', 'STATE', 'CREATED', 'ROTATED', 'PUBLISHED UNTIL'],
  (k: KeyView) => [
    k.kid,
    k.alg,
    k.state,
    when(k.createdAt),
    k.rotatedAt === null ? '-' : when(k.rotatedAt),
    k.publishUntil === null ? '-' : when(k.publishUntil),
  ],
);

const formatAudiences = tableOr(
  'No audiences; add one with `outlook-iwa audience add NAME`.',
  ['AUDIENCE', 'LIFETIME', 'CREATED'],
  (a: Audience) => [a.name, formatDuration(a.lifetimeSeconds), when(a.createdAt)],
);

const formatClients = tableOr('No introspection clients.', ['CLIENT', 'CREATED'], (c: TokenClient) => [
  c.name,
  when(c.createdAt),
]);

const formatIssued = tableOr(
  'No access tokens issued.',
  ['ISSUED', 'MAILBOX', 'AUDIENCE', 'JTI', 'KID', 'EXPIRES'],
  (t: TokenIssuance) => [when(t.at), t.mailbox, t.audience, t.jti, t.kid, when(t.expiresAt)],
);

/** `list` and `remove NAME` over a store collection of named entries (audiences, clients). */
function listAndRemove<T>(
  what: string,
  collection: (store: Store) => { list(): Promise<T[]>; remove(name: string): Promise<boolean> },
  format: (items: readonly T[]) => string,
  text: { readonly list: string; readonly remove: string; readonly removed: string },
): Command[] {
  return [
    readCommand('list', text.list, (store) => collection(store).list(), format),
    removeCommand(
      what,
      text.remove,
      (store, name) => collection(store).remove(name),
      (name) => `Removed ${what} ${name}${text.removed}.`,
    ),
  ];
}

/** `outlook-iwa keys list|rotate|retire` (docs/access-tokens.md, "Keys"). */
export function keysCommand(): Command {
  return group(
    'keys',
    'access-token signing keys',
    storeCommand('list', 'list signing keys, newest first, with their state').action(
      async (opts: CommonOptions) => {
        const { keyView } = await tokenAdmin();
        const now = new Date();
        const list = (await useStore(opts, (store) => store.accessTokens.keys.list())).map((k) =>
          keyView(k, now),
        );
        report(opts, list, formatKeys);
      },
    ),
    storeCommand(
      'rotate',
      'make a new signing key; the old one stays in the JWKS until every token it signed has expired',
    )
      .addOption(kekOption())
      .addOption(option('--alg <alg>', SIGNING_ALGS.join(' or ')).default('ES256'))
      .action(async (opts: CommonOptions & { keyEncryptionKeyFile?: string; alg: string }) => {
        if (!(SIGNING_ALGS as readonly string[]).includes(opts.alg)) {
          throw badFlag('--alg', `must be ${SIGNING_ALGS.join(' or ')}`);
        }
        const kek = requireKek(opts.keyEncryptionKeyFile);
        const { keyView, rotateSigningKey } = await tokenAdmin();
        const key = await useStore(opts, (store) => rotateSigningKey(store, kek, opts.alg as SigningAlg));
        report(
          opts,
          key,
          (k) => `New signing key ${k.kid} (${k.alg}) signs from now on.`,
          keyView(key, new Date()),
        );
      }),
    storeCommand('retire', 'withdraw a key at once (compromise): its tokens stop verifying')
      .argument('<kid>', 'the key id (from `keys list`)')
      .action(async (kid: string, opts: CommonOptions) => {
        const retired = await useStore(opts, (store) => store.accessTokens.keys.retire(kid));
        if (!retired) {
          throw new IwaError(
            'NOT_FOUND',
            { field: 'kid' },
            'There is no such key, or it is retired already.',
          );
        }
        report(opts, kid, (k) => `Retired key ${k}; it has left the JWKS.`, { retired: kid });
      }),
  );
}

/** `outlook-iwa audience add|list|remove` (docs/access-tokens.md, "Turning it on"). */
export function audienceCommand(): Command {
  return group(
    'audience',
    'the APIs that may receive access tokens',
    storeCommand('add', 'register an API by the name it checks `aud` against')
      .argument('<name>', 'the audience, e.g. https://api.corp.example')
      .addOption(
        option('--lifetime <duration>', 'token lifetime, e.g. 10m (never past the session end)').default(
          formatDuration(AUDIENCE_LIMITS.defaultLifetimeSeconds),
        ),
      )
      .action(async (name: string, opts: CommonOptions & { lifetime: string }) => {
        const lifetimeSeconds = parseDuration(opts.lifetime);
        if (lifetimeSeconds === null) throw badFlag('--lifetime', 'must be a duration such as 10m or 1h');
        const added = await useStore(opts, (store) =>
          store.accessTokens.audiences.add({ name, lifetimeSeconds }),
        );
        report(
          opts,
          added,
          (a) => `Added audience ${a.name}; tokens live ${formatDuration(a.lifetimeSeconds)}.`,
        );
      }),
    ...listAndRemove('audience', (store) => store.accessTokens.audiences, formatAudiences, {
      list: 'list registered audiences',
      remove: 'stop issuing tokens for an audience',
      removed: '',
    }),
  );
}

/** `outlook-iwa client add|list|remove`: RFC 7662 §2.1 client credentials for introspection. */
export function clientCommand(): Command {
  return group(
    'client',
    'credentials for token introspection',
    storeCommand('add', 'mint an introspection credential (shown once; only its hash is stored)')
      .argument('<name>', 'who uses it, e.g. hr-api')
      .action(async (name: string, opts: CommonOptions) => {
        const { credential } = await useStore(opts, (store) => store.accessTokens.clients.add(name));
        showCredential(
          opts,
          credential,
          { name, credential },
          { whose: `the credential of client ${name}`, path: '/api/token/introspect' },
        );
      }),
    ...listAndRemove('client', (store) => store.accessTokens.clients, formatClients, {
      list: 'list introspection clients',
      remove: 'revoke a client credential',
      removed: '; its credential no longer works',
    }),
  );
}

/** `outlook-iwa tokens`: the issued-token audit (mailbox, audience, `jti`; never the token). */
export function tokensCommand(): Command {
  return storeCommand('tokens', 'the issued access tokens, newest first (never the tokens themselves)')
    .addOption(option('--mailbox <mailbox>', 'only the tokens of this mailbox'))
    .addOption(option('--limit <n>', `at most this many (1-${ISSUED_MAX_LIMIT})`).default('100'))
    .action(async (opts: CommonOptions & { mailbox?: string; limit: string }) => {
      const limit = Number(opts.limit);
      if (!/^\d+$/.test(opts.limit) || limit < 1 || limit > ISSUED_MAX_LIMIT) {
        throw badFlag('--limit', `must be a whole number from 1 to ${ISSUED_MAX_LIMIT}`);
      }
      const issued = await useStore(opts, (store) =>
        store.accessTokens.issued.query({
          limit,
          ...(opts.mailbox === undefined ? {} : { mailbox: opts.mailbox }),
        }),
      );
      report(opts, issued, formatIssued);
    });
}
