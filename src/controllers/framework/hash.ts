// The hash of pod templates and ControllerRevisions (controller.ComputeHash), shared by the
// Deployment (pod-template-hash) and the revision history of StatefulSets and DaemonSets
// (controller-revision-hash): FNV-32a over the pod template, then the collisionCount as 8 little-endian bytes (4 used) when the Deployment has one, printed in decimal
// and mapped through rand.SafeEncodeString's alphabet (no vowels, no 0/1/3, so no words). Kubernetes
// feeds FNV a go-spew dump of the Go struct; Kite feeds it a canonical JSON (keys sorted, empty
// values dropped), so hashes are stable and change exactly when the template does, but are not
// byte-identical to kube-controller-manager's for the same template.

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped to the safe alphabet by its code. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with sorted keys, leaving out undefined, null, empty objects and empty arrays (semantic emptiness). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(prune(value)) ?? '';
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => prune(v) ?? null);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = prune((value as Record<string, unknown>)[k]);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** The hash of a pod template (or of a ControllerRevision's data), salted by the collision count. */
export function computeHash(value: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(value)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
