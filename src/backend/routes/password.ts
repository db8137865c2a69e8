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
import * as z from 'zod/mini';
import { passwordRequest } from '../../contract/api.ts';
import { inputError } from '../../contract/input.ts';
import { IwaError } from '../../protocol/errors.ts';
import { Secret } from '../password/secret.ts';
import type { PasswordSignIn } from '../password/sign-in.ts';
import { errorReply } from '../sign-in/pipeline.ts';

/** Three short strings: anything bigger is not a sign-in (413 `REQUEST_TOO_LARGE`). */
export const PASSWORD_BODY_LIMIT = 8 * 1024;

/** Removes the password from the request's parsed body, whatever shape the body has. */
function scrub(body: unknown): void {
  if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'password')) {
    Reflect.deleteProperty(body, 'password');
  }
}

export interface PasswordRoutesOptions {
  /** Composed in app.ts, like every service. */
  readonly password: PasswordSignIn;
}

/** Registers `POST /api/auth/password` in its own encapsulated context (its own JSON parser). */
export const passwordRoutes: FastifyPluginAsync<PasswordRoutesOptions> = (app, { password: service }) => {
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
    const parsed = z.safeParse(passwordRequest, req.body);
    scrub(req.body);
    let result;
    if (parsed.success) {
      const password = new Secret(parsed.data.password);
      parsed.data.password = '';
      result = await service.signIn({
        clientAddress: req.ip,
        mailbox: parsed.data.mailbox,
        username: parsed.data.username,
        password,
      });
    } else {
      result = errorReply(inputError(parsed.error));
    }
    return reply.status(result.status).headers(result.headers).send(result.body);
  });
  return Promise.resolve();
};
