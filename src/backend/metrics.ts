import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayMetrics } from './relay/relay.ts';
import { upstreamSocketCount } from './relay/upstream.ts';

export interface Metrics {
  readonly registry: Registry;
  readonly relay: RelayMetrics;
}

/** Prometheus metrics for `/metrics`: one registry per app, so tests and instances stay apart. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inFlight = new Gauge({
    name: 'outlook_iwa_handshakes_in_flight',
    help: 'Negotiate handshakes between legs',
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'outlook_iwa_signin_outcomes_total',
    help: 'Finished IWA sign-in attempts by stable code (OK on success)',
    labelNames: ['code'],
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
      this.set(upstreamSocketCount());
    },
  });
  return {
    registry,
    relay: {
      handshakes: (n) => {
        inFlight.set(n);
      },
      outcome: (code) => {
        outcomes.inc({ code });
      },
      legSeconds: (s) => {
        legs.observe(s);
      },
    },
  };
}
