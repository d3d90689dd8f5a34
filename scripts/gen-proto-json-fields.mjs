#!/usr/bin/env node
// Generates proto/json-fields.json: for every field of the vendored Kubernetes protobuf messages
// (proto/k8s.io/**/generated.proto), the Go struct facts that decide its JSON form and that the
// .proto files do not carry — the json tag (name, omitempty, inline) and whether the Go field is a
// pointer. src/apiserver/protobuf/ reads it to turn decoded protobuf into Kubernetes' JSON.
//
// The facts come from the `protobuf:"...,name=X"` and `json:"..."` struct tags of the Go types in
// checkouts of k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver (git
// repositories), at one tag:
//
// Usage: node scripts/gen-proto-json-fields.mjs API_REPO APIMACHINERY_REPO APIEXTENSIONS_REPO [REF]
//        (REF: v0.32.9)
//
// Output: { "k8s.io.api.apps.v1.DeploymentSpec": { "replicas": "replicas,omitempty*", ... }, ... }
// — the json tag as written, with "*" appended for a pointer field; a Go slice type
// (`type ExtraValue []string`, a message with one repeated `items` field) is { "items": "[]" }: its
// JSON is the bare array. Deterministic.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [apiRepo, machineryRepo, extensionsRepo, ref = 'v0.32.9'] = process.argv.slice(2);
if (!apiRepo || !machineryRepo || !extensionsRepo) {
  console.error('usage: gen-proto-json-fields.mjs API_REPO APIMACHINERY_REPO APIEXTENSIONS_REPO [REF]');
  process.exit(2);
}
const repos = { api: apiRepo, apimachinery: machineryRepo, 'apiextensions-apiserver': extensionsRepo };

const git = (repo, ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** proto/k8s.io/api/core/v1/generated.proto → { repo, dir: 'core/v1', pkg: 'k8s.io.api.core.v1' } (the
 *  package as the file declares it) */
function vendoredPackages() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'generated.proto') {
        const rel = relative(join(root, 'proto', 'k8s.io'), dir).split('\\').join('/');
        const [first, ...rest] = rel.split('/');
        const pkg = /^package ([\w.]+);/m.exec(readFileSync(path, 'utf8'))?.[1];
        if (!repos[first] || !pkg) throw new Error(`${path}: unknown repository or no package`);
        out.push({ repo: repos[first], dir: rest.join('/'), pkg });
      }
    }
  };
  walk(join(root, 'proto', 'k8s.io'));
  return out;
}

const tagValue = (tags, key) => new RegExp(`(?:^|\\s)${key}:"([^"]*)"`).exec(tags)?.[1];

/** Struct fields with both a protobuf and a json tag, by struct name. */
function structFields(source) {
  const structs = {};
  let current;
  for (const line of source.split('\n')) {
    const slice = /^type (\w+) \[\]\w+$/.exec(line);
    if (slice) structs[slice[1]] = { items: '[]' };
    const start = /^type (\w+) struct \{/.exec(line);
    if (start) {
      current = structs[start[1]] = {};
      continue;
    }
    if (!current) continue;
    if (line.startsWith('}')) {
      current = undefined;
      continue;
    }
    const field = /^\s+(\S+)(?:\s+(\S+))?\s+`([^`]*)`/.exec(line);
    if (!field) continue;
    const [, first, second, tags] = field;
    const protobuf = tagValue(tags, 'protobuf');
    const json = tagValue(tags, 'json');
    if (protobuf === undefined || json === undefined || json === '-') continue;
    const goType = second ?? first;
    // An embedded struct's tag may omit the name (EphemeralContainerCommon): go-to-protobuf then
    // names the field after the Go field, lower-camel-cased.
    const goName = second ? first : goType.replace(/^\*/, '').split('.').pop();
    const protoName = /(?:^|,)name=([^,]+)/.exec(protobuf)?.[1] ?? goName[0].toLowerCase() + goName.slice(1);
    current[protoName] = json + (goType.startsWith('*') ? '*' : '');
  }
  return structs;
}

const result = {};
for (const { repo, dir, pkg } of vendoredPackages()) {
  const files = git(repo, 'ls-tree', '--name-only', `${ref}:${dir}`).split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.startsWith('generated.'));
  for (const file of files.sort()) {
    const structs = structFields(git(repo, 'show', `${ref}:${dir}/${file}`));
    for (const [name, fields] of Object.entries(structs)) {
      if (Object.keys(fields).length > 0) result[`${pkg}.${name}`] = fields;
    }
  }
}
const sorted = Object.fromEntries(Object.keys(result).sort().map((k) => [k, result[k]]));
writeFileSync(join(root, 'proto', 'json-fields.json'), `${JSON.stringify(sorted, null, 0).replace(/\},"/g, '},\n"')}\n`);
console.log(`wrote proto/json-fields.json: ${Object.keys(sorted).length} messages`);
