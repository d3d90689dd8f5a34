#!/usr/bin/env node
// The one test command (`npm test`, run by .ci/run): installs missing system programs, type-checks
// and builds, enforces the layering, then runs every *.test.ts (compiled) with node's test runner.
// Arguments filter test files by substring: `npm test -- storage` runs only matching files.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const step = (title, cmd, args) => {
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n${title} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
};

step('system programs', 'bash', ['scripts/setup-system.sh']);
step('OpenAPI definitions', process.execPath, ['scripts/gen-openapi.mjs']);
step('typecheck and build', 'npx', ['tsc', '-p', 'tsconfig.json']);
step('layering lint', 'npx', ['depcruise', 'src', 'test', 'bench', '--config', '.dependency-cruiser.cjs']);

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
const filters = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap((d) => walk(join(root, 'dist', d)))
  .filter((f) => f.endsWith('.test.js'))
  // a compiled test whose source was removed is stale output, not a test
  .filter((f) => existsSync(join(root, relative(join(root, 'dist'), f).replace(/\.js$/, '.ts'))))
  .map((f) => relative(root, f))
  // filters match the path inside the repository, never the checkout's own location
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  process.stdout.write('no test files matched\n');
  process.exit(1);
}
step(`tests (${files.length} files)`, process.execPath, [
  '--enable-source-maps',
  '--test',
  '--test-concurrency=2',
  '--test-timeout=600000',
  ...files,
]);
