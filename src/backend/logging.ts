import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

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
          ip: arrivedFrom.has(req) ? arrivedFrom.get(req) : req.ip,
        };
      },
    },
  };
  return options;
}

/**
 * The client address of each request, read when it arrived. The line is written when the answer
 * is sent, and a client that has already hung up by then (it may, once it has the answer) leaves
 * a socket that no longer knows its peer.
 */
const arrivedFrom = new WeakMap<object, string | undefined>();

/**
 * One log line per request, written when it is answered: the request (path, mailbox and client
 * address, see the serializer above), the status and the time taken. Fastify's default writes
 * two, one on arrival and one on completion; a sign-in has two to four requests, so that was
 * twice the logging work on the hot path for nothing the one line does not say
 * (docs/performance.md).
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(req: FastifyRequest): void {
    arrivedFrom.set(req, req.ip);
  }

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { req, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
