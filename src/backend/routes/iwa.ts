import type { FastifyInstance } from 'fastify';
import type { NegotiateRelay } from '../relay/relay.ts';
import type { Diagnoser } from '../relay/diagnose.ts';
import type { Store } from '../storage/types.ts';
import { chargeAddress, isAdmin, publicDiagnosis, type ProbeLimit } from '../disclosure.ts';

interface IwaQuery {
  mailbox?: string;
}

/**
 * `GET /api/auth/iwa` and its diagnosis: thin adapters over the relay. The browser's socket is
 * passed through because it is the handshake's key.
 */
export function iwaRoutes(
  relay: NegotiateRelay,
  diagnoser: Diagnoser,
  o: { readonly store: Store; readonly probe: ProbeLimit },
) {
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

    // Each diagnosis opens connections to the CAS: rate limited, and without the admin
    // credential redacted to what a user needs (docs/interface.md).
    app.get<{ Querystring: IwaQuery }>('/api/auth/iwa/diagnose', async (req, reply) => {
      const admin = await isAdmin(o.store, req);
      if (!admin) await chargeAddress(o.probe, 'diagnose', req);
      const report = await diagnoser.diagnose(req.query.mailbox);
      void reply.header('cache-control', 'no-store');
      if (admin) return reply.send(report);
      const effective = report.profile === null ? null : await o.store.profiles.effective(report.mailbox);
      const casHost = effective === null ? undefined : new URL(effective.profile.casUrl).hostname;
      return reply.send(publicDiagnosis(report, { profile: report.profile, casHost }));
    });
  };
}
