/**
 * The `outlook-iwa` process entry: runs the CLI on this process's arguments. `bin/outlook-iwa.js`
 * loads its compiled form (`dist/backend/main.js`); in a checkout, `node --import tsx
 * src/backend/main.ts …` runs the TypeScript sources without a build (docs/interface.md).
 */
import { main } from './cli.ts';

process.exitCode = await main(process.argv);
