import { startLab } from './lab.ts';
const t0 = performance.now();
const lab = await startLab();
const t1 = performance.now();
console.log('start ms', Math.round(t1 - t0), lab.info.cas, lab.info.pids, lab.allPids());
if (process.argv[2] === 'hold') { await new Promise((r) => setTimeout(r, Number(process.argv[3] ?? 60000))); }
await lab.stop({ keepDir: process.argv[2] === 'keep' });
console.log('stop ms', Math.round(performance.now() - t1));
