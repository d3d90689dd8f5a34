// $(VAR) expansion as Kubernetes' third_party/forked/golang/expansion package does it: `$(NAME)` is
// replaced by the mapping's value (left as written when the name is unknown), `$$` escapes a
// dollar, and any other `$` is kept. Also the two callers' helpers: container command/args
// expansion against the resolved environment, and the static-only expansion exec probes use.

import type { EnvVar } from 'kubernetes-types/core/v1.js';
import type { KeyValue } from '../../runtime/runtime.js';

export type Mapping = (name: string) => string;

/** A mapping that looks a name up in each map in turn and otherwise leaves `$(name)` as written. */
export function mappingFor(...contexts: ReadonlyArray<ReadonlyMap<string, string>>): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

/** expansion.Expand: replaces every $(VAR) reference in input through mapping. */
export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const { read, isVar, advance } = readVariableName(rest);
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function readVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  if (input[0] === '$') return { read: '$', isVar: false, advance: 1 };
  if (input[0] === '(') {
    const close = input.indexOf(')', 1);
    if (close >= 1) return { read: input.slice(1, close), isVar: true, advance: close + 1 };
    return { read: '$(', isVar: false, advance: 1 };
  }
  return { read: `$${input[0]}`, isVar: false, advance: 1 };
}

/** Expands a container's command and args against its resolved environment (ExpandContainerCommandAndArgs). */
export function expandContainerCommand(
  command: readonly string[] | undefined,
  args: readonly string[] | undefined,
  env: readonly KeyValue[],
): { command: string[]; args: string[] } {
  const mapping = mappingFor(new Map(env.map((e) => [e.key, e.value])));
  return { command: (command ?? []).map((c) => expand(c, mapping)), args: (args ?? []).map((a) => expand(a, mapping)) };
}

/** Expands a command against the container's literal env values only (ExpandContainerCommandOnlyStatic, exec probes/hooks). */
export function expandCommandOnlyStatic(command: readonly string[], env: readonly EnvVar[] | undefined): string[] {
  const vars = new Map<string, string>();
  for (const e of env ?? []) if (e.value) vars.set(e.name, e.value);
  const mapping = mappingFor(vars);
  return command.map((c) => expand(c, mapping));
}
