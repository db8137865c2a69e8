#!/usr/bin/env node
// The `outlook-iwa` command. Sources are TypeScript; tsx loads them without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/backend/cli.ts');
process.exitCode = await main(process.argv);
