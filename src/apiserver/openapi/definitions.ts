// The OpenAPI definitions of the built-in kinds, generated at build time by scripts/gen-openapi.mjs
// into generated/openapi-definitions.json (at the package root), and the lookups over them: by
// name, by group/version/kind, $ref resolution and reachability.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_REF_PREFIX, type Definitions, type GroupVersionKind, type Schema } from './types.js';

export const DEFINITIONS_FILE = join('generated', 'openapi-definitions.json');
const GENERATOR = join('scripts', 'gen-openapi.mjs');

const gvkKey = (gvk: GroupVersionKind): string => `${gvk.group}/${gvk.version}/${gvk.kind}`;

/** The name a $ref points at ('#/components/schemas/X' or '#/definitions/X'), or undefined. */
export function refName(ref: string): string | undefined {
  if (ref.startsWith(SCHEMA_REF_PREFIX)) return ref.slice(SCHEMA_REF_PREFIX.length);
  if (ref.startsWith('#/definitions/')) return ref.slice('#/definitions/'.length);
  return undefined;
}

/** The definition a schema stands for when it is only a reference ($ref or a one-element allOf). */
export function referencedName(schema: Schema): string | undefined {
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  if (schema.allOf?.length === 1 && typeof schema.allOf[0]?.$ref === 'string') return refName(schema.allOf[0].$ref);
  return undefined;
}

export class OpenApiDefinitions {
  private readonly byGvk = new Map<string, string>();

  constructor(readonly definitions: Readonly<Definitions>) {
    for (const name of Object.keys(definitions).sort()) {
      const gvks = definitions[name]?.['x-kubernetes-group-version-kind'] ?? [];
      // DeleteOptions and WatchEvent carry every group version; they are nobody's resource kind.
      if (gvks.length !== 1) continue;
      const key = gvkKey(gvks[0]!);
      if (!this.byGvk.has(key)) this.byGvk.set(key, name);
    }
  }

  has(name: string): boolean {
    return Object.hasOwn(this.definitions, name);
  }

  get(name: string): Schema | undefined {
    return this.has(name) ? this.definitions[name] : undefined;
  }

  names(): string[] {
    return Object.keys(this.definitions).sort();
  }

  /** The definition name of a top-level kind, e.g. {group:'apps',version:'v1',kind:'Deployment'} → io.k8s.api.apps.v1.Deployment. */
  nameOfKind(gvk: GroupVersionKind): string | undefined {
    return this.byGvk.get(gvkKey(gvk));
  }

  /** Follows $ref / single-element allOf until a schema with content. */
  resolve(schema: Schema): Schema {
    let current = schema;
    for (let depth = 0; depth < 32; depth++) {
      const name = referencedName(current);
      if (name === undefined) return current;
      const next = this.get(name);
      if (!next) return current;
      current = next;
    }
    return current;
  }

  /** Every definition reachable through $refs from the given ones (the roots included), sorted. */
  reachable(roots: Iterable<string>): string[] {
    const seen = new Set<string>();
    const stack = [...roots].filter((n) => this.has(n));
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        for (const v of value) visit(v);
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === '$ref' && typeof v === 'string') {
            const name = refName(v);
            if (name !== undefined && this.has(name) && !seen.has(name)) stack.push(name);
          } else if (k !== 'x-kubernetes-group-version-kind') {
            visit(v);
          }
        }
      }
    };
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      visit(this.definitions[name]);
    }
    return [...seen].sort();
  }

  /** A copy with more definitions (custom resources' schemas); existing names are kept. */
  with(extra: Definitions): OpenApiDefinitions {
    if (Object.keys(extra).length === 0) return this;
    return new OpenApiDefinitions({ ...extra, ...this.definitions });
  }
}

/** The directory of the package (the one holding Kite's package.json), from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kite') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('openapi: cannot find the kite package root');
    dir = parent;
  }
}

export function loadDefinitionsFrom(file: string): OpenApiDefinitions {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { definitions?: Definitions };
  if (!parsed.definitions) throw new Error(`openapi: ${file} has no definitions`);
  return new OpenApiDefinitions(parsed.definitions);
}

let cached: OpenApiDefinitions | undefined;

/**
 * The built-in definitions, read once from generated/openapi-definitions.json. When the file is
 * missing (a checkout built with tsc alone) and the generator and kubernetes-types are present,
 * the generator is run first.
 */
export function loadDefinitions(): OpenApiDefinitions {
  if (cached) return cached;
  const root = packageRoot();
  const file = join(root, DEFINITIONS_FILE);
  if (!existsSync(file) && existsSync(join(root, GENERATOR))) {
    const run = spawnSync(process.execPath, [join(root, GENERATOR)], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`openapi: ${DEFINITIONS_FILE} is missing and ${GENERATOR} failed: ${run.stderr || run.error?.message}`);
    }
  }
  if (!existsSync(file)) throw new Error(`openapi: ${file} is missing; run node ${GENERATOR}`);
  cached = loadDefinitionsFrom(file);
  return cached;
}
