// Server-side printing: objects → metav1.Table, the response kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. NAME comes first, then the kind's
// columns (or Kubernetes' default "Created At" when a kind has none).

import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition, TableColumn } from '../registry/resource.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const nameColumn: TableColumn<KubeObject> = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  cell: (obj) => obj.metadata?.name ?? '',
};

const createdAtColumn: TableColumn<KubeObject> = {
  name: 'Created At',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
  cell: (obj) => obj.metadata?.creationTimestamp ?? null,
};

export function columnsOf(def: ResourceDefinition): TableColumn<KubeObject>[] {
  const name = def.nameCell ? { ...nameColumn, cell: def.nameCell } : nameColumn;
  return [name, ...(def.columns?.length ? def.columns : [createdAtColumn])];
}

/** The object a row carries: nothing, its metadata only (the default), or all of it. */
function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

export interface TableOptions {
  now: number;
  include: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function toTable(def: ResourceDefinition, objects: KubeObject[], options: TableOptions): object {
  const columns = columnsOf(def);
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'string' : c.type,
      format: c.type === 'date' ? 'date' : (c.format ?? ''),
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((obj) => {
      const row: Record<string, unknown> = { cells: columns.map((c) => safeCell(c, obj, options.now)) };
      const object = rowObject(obj, options.include);
      if (object) row.object = object;
      return row;
    }),
  };
}

function safeCell(column: TableColumn<KubeObject>, obj: KubeObject, now: number): unknown {
  try {
    return column.cell(obj, now);
  } catch {
    return '<unknown>';
  }
}

/** Whether the Accept header asks for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return /(^|;)\s*as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
