// Group/version/kind/resource names (apimachinery's runtime/schema) and their string forms, which
// appear in error messages: `pods`, `deployments.apps`, `Deployment.apps`, "apps/v1, Kind=Deployment".

export interface GroupResource {
  group: string;
  resource: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export interface GroupVersion {
  group: string;
  version: string;
}

export interface GroupVersionKind extends GroupVersion {
  kind: string;
}

/** schema.GroupResource.String(): "pods" or "deployments.apps". */
export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** schema.GroupKind.String(): "Pod" or "Deployment.apps". */
export function groupKindString(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

/** schema.GroupVersionKind.String(): "apps/v1, Kind=Deployment" ("/v1, Kind=Pod" for core). */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/** schema.GroupVersion.String(): "v1", "apps/v1". */
export function groupVersionString(gv: GroupVersion): string {
  if (!gv.group && !gv.version) return '';
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** schema.ParseGroupVersion: "v1" → core, "apps/v1" → apps; undefined when there is more than one '/'. */
export function parseGroupVersion(apiVersion: string): GroupVersion | undefined {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

/** schema.FromAPIVersionAndKind: an unparsable apiVersion yields a GVK with only the kind. */
export function gvkFromAPIVersionAndKind(apiVersion: string, kind: string): GroupVersionKind {
  const gv = parseGroupVersion(apiVersion);
  return gv ? { ...gv, kind } : { group: '', version: '', kind };
}
