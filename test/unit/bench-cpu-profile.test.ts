/** The benchmark's CPU profile classifier (bench/cpu-profile.ts), fed a tiny synthetic profile. */
import { describe, expect, it } from 'vitest';
import {
  classifyProfile,
  defaultMaxSampleMicros,
  stageOf,
  type CpuProfile,
} from '../../bench/cpu-profile.ts';

const SRC = 'file:///repo/src/backend';
const NM = 'file:///repo/node_modules';

/** Node ids: 1 root; every other node a child of the one given. */
function profile(
  nodes: [id: number, parent: number, functionName: string, url: string][],
  samples: [id: number, us: number][],
): CpuProfile {
  const all = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] as number[] }];
  for (const [id, parentId, functionName, url] of nodes) {
    all.push({ id, callFrame: { functionName, url }, children: [] });
    all.find((n) => n.id === parentId)?.children.push(id);
  }
  // V8 records the delta before each sample; a sample's own time is the next delta.
  return {
    nodes: all,
    samples: samples.map(([id]) => id),
    timeDeltas: [0, ...samples.map(([, us]) => us)],
  };
}

describe('classifyProfile', () => {
  const p = profile(
    [
      [2, 1, 'routeHandler', `${NM}/fastify/lib/route.js`],
      [3, 2, 'handleLeg', `${SRC}/relay/relay.ts`],
      [4, 3, 'request', `${SRC}/cas/client.ts`],
      [5, 3, 'issue', `${SRC}/storage/sessions.ts`],
      [6, 5, 'run', `${NM}/better-sqlite3/lib/methods/wrappers.js`],
      [7, 2, 'info', `${NM}/pino/lib/proto.js`],
      [8, 3, 'prove', `${SRC}/relay/identity-probe.ts`],
      [9, 8, 'scan', 'file:///repo/src/protocol/xml-scanner.ts'],
      [10, 1, 'onhandshakestart', 'node:_tls_wrap'],
      [11, 1, 'onConnectSecure', 'node:_tls_wrap'],
      [12, 1, '(garbage collector)', ''],
      [13, 1, '(idle)', ''],
      [14, 1, 'processTicksAndRejections', 'node:internal/process/task_queues'],
      [15, 1, 'parserOnHeadersComplete', 'node:_http_common'],
      [16, 3, 'inspectToken', 'file:///repo/src/protocol/spnego.ts'],
    ],
    [
      [2, 100], // Fastify's own frame: request handling
      [3, 200], // relay code under Fastify: legs
      [4, 300], // the CAS client under the relay: upstream
      [6, 400], // better-sqlite3 under the relay and Fastify: storage
      [7, 500], // pino: logging
      [9, 600], // XML parse in the identity probe
      [10, 700], // TLS server handshake: accept
      [11, 800], // TLS client handshake: upstream
      [12, 900], // GC
      [13, 5000], // idle: not counted
      [14, 50], // event loop: other
      [15, 25], // HTTP parser: request handling
      [16, 10], // protocol code under the relay: legs
    ],
  );

  it('attributes each sample to the first matching stage on its stack, idle left out', () => {
    expect(classifyProfile(p, Infinity)).toEqual({
      request: 125,
      legs: 210,
      upstream: 1100,
      storage: 400,
      logging: 500,
      identityProbe: 600,
      tlsAccept: 700,
      gc: 900,
      other: 50,
    });
  });

  it('caps what one sample stands for: a descheduled gap is wall time, not CPU', () => {
    const gaps = profile(
      [
        [2, 1, 'routeHandler', `${NM}/fastify/lib/route.js`],
        [3, 1, 'run', `${NM}/better-sqlite3/lib/methods/wrappers.js`],
      ],
      [
        [2, 250],
        [2, 260],
        [3, 270],
        [2, 9000], // the process was off the CPU before the next sample
        [3, 250],
      ],
    );
    // Median gap 260 µs: no sample stands for more than 520 µs.
    expect(defaultMaxSampleMicros(gaps)).toBe(520);
    expect(classifyProfile(gaps)).toMatchObject({ request: 250 + 260 + 520, storage: 270 + 250 });
    expect(classifyProfile(gaps, Infinity)).toMatchObject({ request: 250 + 260 + 9000 });
  });

  it('lets storage and logging win over the route that called them', () => {
    const fastify = { functionName: 'handler', url: `${NM}/fastify/lib/route.js` };
    const kysely = { functionName: 'execute', url: `${NM}/kysely/dist/esm/query-executor.js` };
    expect(stageOf([kysely, fastify])).toBe('storage');
    expect(stageOf([{ functionName: 'write', url: `${NM}/sonic-boom/index.js` }, kysely])).toBe('logging');
    expect(stageOf([fastify])).toBe('request');
    expect(stageOf([])).toBe('other');
  });
});
