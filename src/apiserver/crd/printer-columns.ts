// A CRD version's additionalPrinterColumns as table columns, as apiextensions-apiserver's table
// convertor renders them: the value at the column's JSONPath, converted by the column's type
// (integer, number, boolean, string; date as a human-readable age), null when missing or of
// another type. Without columns, a version shows Age (.metadata.creationTimestamp).

import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableColumn } from '../registry/resource.js';
import { humanDuration } from '../registry/kinds/duration.js';
import { firstResult, parseJsonPath, printValue, type Segment } from './jsonpath.js';

export const DEFAULT_COLUMNS: readonly CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

const COLUMN_TYPES = new Set(['integer', 'number', 'string', 'boolean', 'date']);

/** The table columns (after NAME) of a CRD version's additionalPrinterColumns. */
export function printerColumns(columns: readonly CustomResourceColumnDefinition[] | undefined): TableColumn<KubeObject>[] {
  const defs = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  return defs.map((col) => printerColumn(col));
}

export function printerColumn(col: CustomResourceColumnDefinition): TableColumn<KubeObject> {
  let segments: Segment[] | undefined;
  try {
    segments = parseJsonPath(col.jsonPath);
  } catch {
    segments = undefined;
  }
  const type = (COLUMN_TYPES.has(col.type) ? col.type : 'string') as TableColumn<KubeObject>['type'];
  const column: TableColumn<KubeObject> = {
    name: col.name,
    type,
    description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
    priority: col.priority ?? 0,
    cell: (obj, now) => (segments ? cellFor(type, firstResult(segments, obj), now) : null),
  };
  if (col.format) column.format = col.format;
  return column;
}

/** tableconvertor's cellForJSONValue (and PrintResults for string columns). */
export function cellFor(type: string, value: unknown, now: number): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return printValue(value) ?? null;
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = parseRfc3339(value);
      if (t === undefined) return '<invalid>';
      return humanDuration(now - t);
    }
    default:
      return null;
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** time.Parse(time.RFC3339, s) in epoch milliseconds, or undefined. */
export function parseRfc3339(s: string): number | undefined {
  if (!RFC3339.test(s)) return undefined;
  const t = Date.parse(s.toUpperCase());
  return Number.isNaN(t) ? undefined : t;
}
