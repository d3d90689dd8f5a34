#!/usr/bin/env node
// The `kite` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('kite: dist/ is missing; run `npm run build` (npm ci does it) first\n');
  process.exit(1);
}
const { run } = await import(main.href);
await run(process.argv.slice(2));
