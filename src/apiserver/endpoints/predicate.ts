// labelSelector and fieldSelector query parameters → one predicate over objects. Field selectors
// cover metadata.name and metadata.namespace for every kind, plus the fields each kind declares.

import type { KubeObject } from '../../api/object.js';
import { newBadRequest } from '../../api/status-errors.js';
import { parseSelector } from '../../api/labels/index.js';
import { parseFieldSelector } from '../../api/fields/index.js';
import type { ResourceDefinition } from '../registry/resource.js';

export function fieldGetter(def: ResourceDefinition, field: string): ((obj: KubeObject) => string | undefined) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata?.name;
  if (field === 'metadata.namespace') return (o) => o.metadata?.namespace;
  return def.fields?.[field] as ((obj: KubeObject) => string | undefined) | undefined;
}

export function buildPredicate<T extends KubeObject>(def: ResourceDefinition, query: URLSearchParams): ((obj: T) => boolean) | undefined {
  const labelText = query.get('labelSelector') ?? '';
  const fieldText = query.get('fieldSelector') ?? '';
  const checks: ((obj: T) => boolean)[] = [];
  if (labelText.trim()) {
    let selector: ReturnType<typeof parseSelector>;
    try {
      selector = parseSelector(labelText);
    } catch (err) {
      throw newBadRequest((err as Error).message);
    }
    checks.push((obj) => selector.matches(obj.metadata?.labels ?? {}));
  }
  if (fieldText.trim()) {
    let requirements: ReturnType<typeof parseFieldSelector>['requirements'];
    try {
      requirements = parseFieldSelector(fieldText).requirements;
    } catch (err) {
      throw newBadRequest((err as Error).message);
    }
    for (const req of requirements) {
      const get = fieldGetter(def, req.field);
      if (!get) {
        throw newBadRequest(`field label not supported: ${req.field}`);
      }
      const equal = req.operator !== '!=';
      checks.push((obj) => ((get(obj) ?? '') === req.value) === equal);
    }
  }
  if (checks.length === 0) return undefined;
  return (obj) => checks.every((check) => check(obj));
}
