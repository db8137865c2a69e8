import type { FastifyServerOptions } from 'fastify';

/**
 * Header and body fields that carry secrets. They are removed from every log line, whatever
 * logs them: Negotiate tokens and challenges, session and admin bearer tokens, passwords and
 * identity tokens (docs/architecture.md §6).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'res.headers["www-authenticate"]',
  'headers["www-authenticate"]',
  'body.password',
  'body.token',
  'password',
  'token',
];

/** JSON logs (pino) with request ids and no secrets. */
export function loggerOptions(
  level: string,
  destination?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  const options: FastifyServerOptions['logger'] = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(destination === undefined ? {} : { stream: destination }),
    serializers: {
      // The default request serializer is fine except that the URL may one day carry a token in
      // a query string: log the path and the mailbox only.
      req(req: { method: string; url: string; id: string; ip?: string }) {
        const url = new URL(req.url, 'https://x');
        const mailbox = url.searchParams.get('mailbox');
        return {
          id: req.id,
          method: req.method,
          path: url.pathname,
          ...(mailbox === null ? {} : { mailbox }),
          ip: req.ip,
        };
      },
    },
  };
  return options;
}
