/**
 * Vitest global setup for the `lab` and `browser` projects: starts one lab, provides its
 * JSON-only LabInfo to the tests (`inject('lab')`), stops it on teardown — and also when the
 * run is interrupted with SIGINT/SIGTERM, so no KDC or Apache outlives the run.
 */
import type { TestProject } from 'vitest/node';
import { startLab, type LabInfo } from './lab.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const lab = await startLab();
  const startMs = Math.round(performance.now() - t0);
  project.provide('lab', lab.info);

  const onSignal = (signal: NodeJS.Signals) => {
    void lab.stop().finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Let the default handling (exit) happen now that the lab is gone.
      process.kill(process.pid, signal);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (process.env.LAB_VERBOSE !== undefined) {
    process.stderr.write(`[lab] ${project.name}: started in ${startMs} ms at ${lab.info.dir}\n`);
  }

  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const t1 = performance.now();
    await lab.stop();
    if (process.env.LAB_VERBOSE !== undefined) {
      process.stderr.write(`[lab] ${project.name}: stopped in ${Math.round(performance.now() - t1)} ms\n`);
    }
  };
}
