import type { FastifyInstance } from 'fastify';
import type { NegotiateRelay } from '../relay/relay.ts';
import type { Diagnoser } from '../relay/diagnose.ts';

interface IwaQuery {
  mailbox?: string;
}

/**
 * `GET /api/auth/iwa` and its diagnosis: thin adapters over the relay. The browser's socket is
 * passed through because it is the handshake's key.
 */
export function iwaRoutes(relay: NegotiateRelay, diagnoser: Diagnoser) {
  return (app: FastifyInstance): void => {
    app.get<{ Querystring: IwaQuery }>('/api/auth/iwa', async (req, reply) => {
      const result = await relay.handle({
        socket: req.raw.socket,
        clientAddress: req.ip,
        mailbox: req.query.mailbox,
        authorization: req.headers.authorization,
      });
      // Tokens are per connection and must never be cached by anything in between.
      void reply.header('cache-control', 'no-store');
      return reply.status(result.status).headers(result.headers).send(result.body);
    });

    app.get<{ Querystring: IwaQuery }>('/api/auth/iwa/diagnose', async (req, reply) => {
      const report = await diagnoser.diagnose(req.query.mailbox);
      return reply.header('cache-control', 'no-store').send(report);
    });
  };
}
