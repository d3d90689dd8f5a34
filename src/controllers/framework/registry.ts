// The controllers a manager can run, by name (kube-controller-manager's NewControllerDescriptors)
// and the --controllers flag's selection: "*" turns on every controller that is on by default,
// "name" turns one on, "-name" turns one off.

import type { Controller } from './controller.js';
import type { ControllerContext } from './context.js';

export interface ControllerDescriptor {
  name: string;
  /** Builds the controller: registers its informers and handlers (the manager starts the informers). */
  create(ctx: ControllerContext): Controller;
  /** Off unless named explicitly (default: on). */
  disabledByDefault?: boolean;
}

/** The descriptors --controllers selects, in registry order; an unknown name is an error. */
export function selectControllers(all: readonly ControllerDescriptor[], selection: readonly string[] = ['*']): ControllerDescriptor[] {
  const known = new Set(all.map((d) => d.name));
  for (const item of selection) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name !== '*' && !known.has(name)) throw new Error(`unknown controller "${name}"; known: ${[...known].join(', ')}`);
  }
  const star = selection.includes('*');
  return all.filter((d) => {
    if (selection.includes(`-${d.name}`)) return false;
    if (selection.includes(d.name)) return true;
    return star && !d.disabledByDefault;
  });
}
