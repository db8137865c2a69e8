import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayMetrics } from './relay/relay.ts';
import type { SignInMetrics } from './sign-in/pipeline.ts';
import type { TokenMetrics } from './tokens/service.ts';

export interface Metrics {
  readonly registry: Registry;
  readonly relay: RelayMetrics;
  readonly signIn: SignInMetrics;
  readonly tokens: TokenMetrics;
}

/** Prometheus metrics for `/metrics`: one registry per app, so tests and instances stay apart. */
export function createMetrics(upstreamSockets: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inFlight = new Gauge({
    name: 'outlook_iwa_handshakes_in_flight',
    help: 'Negotiate handshakes between legs',
    registers: [registry],
  });
  /** A counter with one label, in this app's registry. */
  const counter = (name: string, help: string, label: string) =>
    new Counter({ name, help, labelNames: [label], registers: [registry] });
  const outcomes = new Counter({
    name: 'outlook_iwa_signin_outcomes_total',
    help: 'Finished sign-in attempts by method and stable code (OK on success)',
    // Both bounded: the methods and the catalogue's codes.
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const legs = new Histogram({
    name: 'outlook_iwa_relay_leg_seconds',
    help: 'Time to answer one relay leg, CAS round trip included',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  new Gauge({
    name: 'outlook_iwa_upstream_sockets',
    help: 'Open TLS connections to Exchange CAS servers',
    registers: [registry],
    collect() {
      this.set(upstreamSockets());
    },
  });
  const tokensIssued = counter(
    'outlook_iwa_tokens_issued_total',
    'Access tokens issued, by audience',
    'audience',
  );
  const tokensRefused = counter(
    'outlook_iwa_token_requests_refused_total',
    'Access token requests refused, by stable code',
    'code',
  );
  const introspections = counter(
    'outlook_iwa_token_introspections_total',
    'Token introspections by a registered client, by answer',
    'active',
  );
  return {
    registry,
    tokens: {
      // Only registered audiences get here, so the label's values are bounded by the admin.
      issued: (audience) => {
        tokensIssued.inc({ audience });
      },
      refused: (code) => {
        tokensRefused.inc({ code });
      },
      introspected: (active) => {
        introspections.inc({ active: String(active) });
      },
    },
    signIn: {
      outcome: (method, code) => {
        outcomes.inc({ method, code });
      },
    },
    relay: {
      handshakes: (n) => {
        inFlight.set(n);
      },
      legSeconds: (s) => {
        legs.observe(s);
      },
    },
  };
}
