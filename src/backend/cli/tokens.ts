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
import { KEK_FLAG, kekMissing, loadKek } from '../tokens/kek.ts';
import {
  type CommonOptions,
  badFlag,
  command,
  print,
  printJson,
  useStore,
  when,
  withCommonOptions,
} from './admin.ts';
import { option, table } from './options.ts';

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

const notFound = (what: string, name: string) =>
  new IwaError('NOT_FOUND', { field: 'name', name }, `There is no ${what} named ${name}.`);

/** `outlook-iwa keys list|rotate|retire` (docs/access-tokens.md, "Keys"). */
export function keysCommand(): Command {
  const keys = command('keys', 'access-token signing keys');

  keys.addCommand(
    withCommonOptions(command('list', 'list signing keys, newest first, with their state')).action(
      async (opts: CommonOptions) => {
        const { keyView } = await tokenAdmin();
        const now = new Date();
        const list = (await useStore(opts, (store) => store.accessTokens.keys.list())).map((k) =>
          keyView(k, now),
        );
        if (opts.json === true) {
          printJson(list);
          return;
        }
        if (list.length === 0) {
          print('No signing keys yet; the first token request makes one.');
          return;
        }
        print(
          table(
            ['KID', 'ALG', 'STATE', 'CREATED', 'ROTATED', 'PUBLISHED UNTIL'],
            list.map((k) => [
              k.kid,
              k.alg,
              k.state,
              when(k.createdAt),
              k.rotatedAt === null ? '-' : when(k.rotatedAt),
              k.publishUntil === null ? '-' : when(k.publishUntil),
            ]),
          ),
        );
      },
    ),
  );

  keys.addCommand(
    withCommonOptions(
      command(
        'rotate',
        'make a new signing key; the old one stays in the JWKS until every token it signed has expired',
      ),
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
        if (opts.json === true) printJson(keyView(key, new Date()));
        else print(`New signing key ${key.kid} (${key.alg}) signs from now on.`);
      }),
  );

  keys.addCommand(
    withCommonOptions(command('retire', 'withdraw a key at once (compromise): its tokens stop verifying'))
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
        if (opts.json === true) printJson({ retired: kid });
        else print(`Retired key ${kid}; it has left the JWKS.`);
      }),
  );
  return keys;
}

/** `outlook-iwa audience add|list|remove` (docs/access-tokens.md, "Turning it on"). */
export function audienceCommand(): Command {
  const audience = command('audience', 'the APIs that may receive access tokens');

  audience.addCommand(
    withCommonOptions(command('add', 'register an API by the name it checks `aud` against'))
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
        if (opts.json === true) printJson(added);
        else print(`Added audience ${added.name}; tokens live ${formatDuration(added.lifetimeSeconds)}.`);
      }),
  );

  audience.addCommand(
    withCommonOptions(command('list', 'list registered audiences')).action(async (opts: CommonOptions) => {
      const list = await useStore(opts, (store) => store.accessTokens.audiences.list());
      if (opts.json === true) {
        printJson(list);
        return;
      }
      if (list.length === 0) {
        print('No audiences; add one with `outlook-iwa audience add NAME`.');
        return;
      }
      print(
        table(
          ['AUDIENCE', 'LIFETIME', 'CREATED'],
          list.map((a) => [a.name, formatDuration(a.lifetimeSeconds), when(a.createdAt)]),
        ),
      );
    }),
  );

  audience.addCommand(
    withCommonOptions(command('remove', 'stop issuing tokens for an audience'))
      .argument('<name>')
      .action(async (name: string, opts: CommonOptions) => {
        if (!(await useStore(opts, (store) => store.accessTokens.audiences.remove(name)))) {
          throw notFound('audience', name);
        }
        if (opts.json === true) printJson({ removed: name });
        else print(`Removed audience ${name}.`);
      }),
  );
  return audience;
}

/** `outlook-iwa client add|list|remove`: RFC 7662 §2.1 client credentials for introspection. */
export function clientCommand(): Command {
  const client = command('client', 'credentials for token introspection');

  client.addCommand(
    withCommonOptions(
      command('add', 'mint an introspection credential (shown once; only its hash is stored)'),
    )
      .argument('<name>', 'who uses it, e.g. hr-api')
      .action(async (name: string, opts: CommonOptions) => {
        const { credential } = await useStore(opts, (store) => store.accessTokens.clients.add(name));
        if (opts.json === true) {
          printJson({ name, credential });
        } else {
          // The credential alone on stdout, so `$(outlook-iwa client add NAME)` captures it.
          print(credential);
          process.stderr.write(
            `This is the only time the credential of client ${name} is shown; store it now. ` +
              'Send it as "Authorization: Bearer <credential>" to /api/token/introspect.\n',
          );
        }
      }),
  );

  client.addCommand(
    withCommonOptions(command('list', 'list introspection clients')).action(async (opts: CommonOptions) => {
      const list = await useStore(opts, (store) => store.accessTokens.clients.list());
      if (opts.json === true) {
        printJson(list);
        return;
      }
      if (list.length === 0) {
        print('No introspection clients.');
        return;
      }
      print(
        table(
          ['CLIENT', 'CREATED'],
          list.map((c) => [c.name, when(c.createdAt)]),
        ),
      );
    }),
  );

  client.addCommand(
    withCommonOptions(command('remove', 'revoke a client credential'))
      .argument('<name>')
      .action(async (name: string, opts: CommonOptions) => {
        if (!(await useStore(opts, (store) => store.accessTokens.clients.remove(name)))) {
          throw notFound('client', name);
        }
        if (opts.json === true) printJson({ removed: name });
        else print(`Removed client ${name}; its credential no longer works.`);
      }),
  );
  return client;
}

/** `outlook-iwa tokens`: the issued-token audit (mailbox, audience, `jti`; never the token). */
export function tokensCommand(): Command {
  return withCommonOptions(
    command('tokens', 'the issued access tokens, newest first (never the tokens themselves)'),
  )
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
      if (opts.json === true) {
        printJson(issued);
        return;
      }
      if (issued.length === 0) {
        print('No access tokens issued.');
        return;
      }
      print(
        table(
          ['ISSUED', 'MAILBOX', 'AUDIENCE', 'JTI', 'KID', 'EXPIRES'],
          issued.map((t) => [when(t.at), t.mailbox, t.audience, t.jti, t.kid, when(t.expiresAt)]),
        ),
      );
    });
}
