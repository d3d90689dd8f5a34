#!/usr/bin/env node
// `npm run bench -- NAME [args]`: builds, then runs the benchmark bench/NAME.ts (compiled).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(`${root}bench`).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME   (one of: ${available.join(', ')})\n`);
  process.exit(2);
}
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status || 1);
const script = `${root}dist/bench/${name}.js`;
if (!existsSync(script)) process.exit(1);
const run = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', script, ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
