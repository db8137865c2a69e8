/**
 * The store's share of a sign-in, alone: the effective profile, then the session and its audit
 * row in one transaction (what the sign-in pipeline asks of SQLite), CPU per sign-in over three
 * rounds. A focused check for storage changes, whose effect the whole-relay bench hides in its
 * noise (docs/performance.md).
 *
 *   node --import tsx bench/storage.ts [sign-ins per round]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/backend/storage/index.ts';

const N = Number(process.argv[2] ?? 3000);
const dir = await mkdtemp(join(tmpdir(), 'iwa-bench-storage-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
try {
  await store.profiles.create({
    name: 'corp',
    domains: ['corp.test'],
    casUrl: 'https://cas.corp.test/EWS/Exchange.asmx',
    methods: ['iwa', 'password'],
  });
  const signIn = async () => {
    const effective = await store.profiles.effective('alice@corp.test');
    if (effective === null) throw new Error('no profile');
    const { profile } = effective;
    await store.signIns.succeeded(
      { mailbox: 'alice@corp.test', method: 'iwa', mechanism: 'kerberos', profile },
      {
        at: new Date(),
        clientAddress: '127.0.0.1',
        claimedMailbox: 'alice@corp.test',
        provenMailbox: null,
        method: 'iwa',
        mechanism: 'kerberos',
        outcome: 'success',
        reason: 'OK',
        profile: profile.name,
      },
    );
  };
  for (let i = 0; i < N / 10; i++) await signIn(); // warm-up: JIT, page cache
  for (let round = 1; round <= 3; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < N; i++) await signIn();
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / N / 1000;
    console.log(`round ${round}: ${ms.toFixed(3)} ms CPU per sign-in (${N} sign-ins, SQLite)`);
  }
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
