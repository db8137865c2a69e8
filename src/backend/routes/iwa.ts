import type { FastifyPluginAsync } from 'fastify';
import type { NegotiateRelay } from '../relay/relay.ts';
import type { Diagnoser } from '../relay/diagnose.ts';
import type { Store } from '../storage/types.ts';
import { chargeAddress, isAdmin, publicDiagnosis, type ProbeLimit } from '../disclosure.ts';

interface IwaQuery {
  mailbox?: string;
}

export interface IwaRoutesOptions {
  readonly relay: NegotiateRelay;
  readonly diagnoser: Diagnoser;
  readonly store: Store;
  readonly probe: ProbeLimit;
}

/**
 * `GET /api/auth/iwa` and its diagnosis: thin adapters over the relay. The browser's socket is
 * passed through because it is the handshake's key.
 */
export const iwaRoutes: FastifyPluginAsync<IwaRoutesOptions> = (app, { relay, diagnoser, store, probe }) => {
  app.get<{ Querystring: IwaQuery }>('/api/auth/iwa', async (req, reply) => {
    const result = await relay.handle({
      socket: req.raw.socket,
      clientAddress: req.ip,
      mailbox: req.query.mailbox,
      authorization: req.headers.authorization,
    });
    return reply.status(result.status).headers(result.headers).send(result.body);
  });

  // Each diagnosis opens connections to the CAS: rate limited, and without the admin
  // credential redacted to what a user needs (docs/interface.md).
  app.get<{ Querystring: IwaQuery }>('/api/auth/iwa/diagnose', async (req, reply) => {
    const admin = await isAdmin(store, req);
    if (!admin) await chargeAddress(probe, 'diagnose', req);
    const report = await diagnoser.diagnose(req.query.mailbox);
    void reply.header('cache-control', 'no-store');
    if (admin) return reply.send(report);
    const effective = report.profile === null ? null : await store.profiles.effective(report.mailbox);
    const casHost = effective === null ? undefined : new URL(effective.profile.casUrl).hostname;
    return reply.send(publicDiagnosis(report, { profile: report.profile, casHost }));
  });
  return Promise.resolve();
};
