/**
 * `POST /api/auth/password` `{"mailbox","username","password"}` (interface.md): a thin adapter
 * over {@link PasswordSignIn}. It validates the body and makes sure the password cannot leak
 * on the way in:
 *
 * - its own JSON parser, so a malformed body's `SyntaxError` (whose message quotes the input
 *   in Node ≥ 20) never becomes an error message; the raw body buffer is zeroed once parsed;
 * - the parsed body object loses its `password` field before the handler does anything else,
 *   so no later hook or log call can see it; request bodies are never logged (the app's logger
 *   also redacts `body.password`, as a second line of defence);
 * - error answers name the field and the problem, never a value.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LookupFunction } from 'node:net';
import { z } from 'zod';
import { IwaError } from '../../protocol/errors.ts';
import { Secret } from '../password/secret.ts';
import { PasswordSignIn, type PasswordLimits } from '../password/sign-in.ts';
import type { Store } from '../storage/types.ts';
import type { Clock } from '../domain.ts';
import type { SignInLimits } from '../limits/sign-in-limits.ts';

/** Three short strings: anything bigger is not a sign-in (413 `REQUEST_TOO_LARGE`). */
export const PASSWORD_BODY_LIMIT = 8 * 1024;

// Control characters have no place in any of the three, and keep odd bytes out of NTLM and logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const passwordBody = z.strictObject({
  mailbox: z.string('must be a string').max(320, 'is too long'),
  username: z
    .string('must be a string')
    .min(1, 'is required')
    // A UPN can be long; sAMAccountName is at most 20 characters.
    .max(256, 'is too long')
    .refine((s) => !CONTROL.test(s), 'must not contain control characters'),
  // Active Directory passwords are at most 256 characters.
  password: z.string('must be a string').min(1, 'is required').max(256, 'is too long'),
});

/** `INPUT_INVALID` naming the field (or the unknown one) and the problem, never the value. */
function inputError(error: z.ZodError): IwaError {
  const issue = error.issues[0];
  if (issue === undefined) return new IwaError('INPUT_INVALID', { field: '(body)' });
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = (unknown ?? (issue.path.map(String).join('.') || '(body)')).slice(0, 64);
  const problem = unknown === undefined ? issue.message : 'is not a known field';
  return new IwaError('INPUT_INVALID', { field, problem }, `Invalid ${field}: ${problem}.`);
}

/** Removes the password from the request's parsed body, whatever shape the body has. */
function scrub(body: unknown): void {
  if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'password')) {
    Reflect.deleteProperty(body, 'password');
  }
}

/** Registered as `app.register(import('./routes/password.ts'), { ...deps, clock })`. */
export interface PasswordRoutesOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly lookup?: LookupFunction | undefined;
  readonly passwordLimits?: Partial<PasswordLimits> | undefined;
  /** Shared with the relay: one bad-password budget per AD account. */
  readonly signInLimits: SignInLimits;
}

/** Registers `POST /api/auth/password` in its own encapsulated context (its own JSON parser). */
const passwordRoutes: FastifyPluginAsync<PasswordRoutesOptions> = (app, options) => {
  const { store } = options;
  const service = new PasswordSignIn({
    clock: options.clock,
    signInLimits: options.signInLimits,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    ...(options.passwordLimits === undefined ? {} : { limits: options.passwordLimits }),
    store: {
      effectiveProfile: (mailbox) => store.profiles.effective(mailbox),
      issueSession: ({ mailbox, profile }) =>
        store.sessions.issue({ mailbox, method: 'password', mechanism: 'ntlm', profile }),
      audit: (entry) => store.audit.record(entry),
    },
    onInternalError: (err) => {
      // Type and message only: no stack with locals, no request.
      app.log.error(
        { err: err instanceof Error ? { type: err.name, message: err.message } : 'unknown' },
        'password sign-in error',
      );
    },
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: PASSWORD_BODY_LIMIT },
    (_req, raw: Buffer, done) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        done(new IwaError('INPUT_INVALID', { field: '(body)', problem: 'is not valid JSON' }), undefined);
        return;
      } finally {
        raw.fill(0);
      }
      done(null, parsed);
    },
  );

  app.post('/api/auth/password', { bodyLimit: PASSWORD_BODY_LIMIT }, async (req, reply) => {
    // Sign-in answers carry session tokens: nothing in between may cache them.
    void reply.header('cache-control', 'no-store');
    const parsed = passwordBody.safeParse(req.body);
    scrub(req.body);
    if (!parsed.success) throw inputError(parsed.error);
    const password = new Secret(parsed.data.password);
    parsed.data.password = '';
    const result = await service.signIn({
      clientAddress: req.ip,
      mailbox: parsed.data.mailbox,
      username: parsed.data.username,
      password,
    });
    return reply.status(result.status).headers(result.headers).send(result.body);
  });
  return Promise.resolve();
};

export default passwordRoutes;
