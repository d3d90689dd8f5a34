// field.Path from apimachinery: an immutable path from a root to a field, rendered the way
// validation messages show it ("spec.containers[0].name", "metadata.labels[foo]").

export class FieldPath {
  private constructor(
    private readonly name: string, // "" when this element is a subscript
    private readonly subscript: string,
    private readonly parent: FieldPath | undefined,
  ) {}

  /** A root path, optionally followed by more child names: path('metadata', 'name'). */
  static of(name: string, ...moreNames: string[]): FieldPath {
    let p = new FieldPath(name, '', undefined);
    for (const n of moreNames) p = new FieldPath(n, '', p);
    return p;
  }

  /** The path of a child field (several names nest). */
  child(name: string, ...moreNames: string[]): FieldPath {
    let p = new FieldPath(name, '', this);
    for (const n of moreNames) p = new FieldPath(n, '', p);
    return p;
  }

  /** This path subscripted by a list index: `containers[0]`. */
  index(i: number): FieldPath {
    return new FieldPath('', String(i), this);
  }

  /** This path subscripted by a map key: `labels[foo]`. */
  key(k: string): FieldPath {
    return new FieldPath('', k, this);
  }

  /** The first element of the path. */
  root(): FieldPath {
    let p: FieldPath = this;
    while (p.parent) p = p.parent;
    return p;
  }

  toString(): string {
    const elems: FieldPath[] = [];
    for (let p: FieldPath | undefined = this; p; p = p.parent) elems.push(p);
    let out = '';
    for (let i = elems.length - 1; i >= 0; i--) {
      const p = elems[i]!;
      if (p.parent && p.name.length > 0) out += '.';
      out += p.name.length > 0 ? p.name : `[${p.subscript}]`;
    }
    return out;
  }
}

/** field.NewPath: path('spec').child('containers').index(0). */
export function path(name: string, ...moreNames: string[]): FieldPath {
  return FieldPath.of(name, ...moreNames);
}

/**
 * A child of a path that may be absent (Go's nil *Path): Kubernetes helpers that take an optional
 * path produce "key" rather than ".key" when there is none.
 */
export function childOf(parent: FieldPath | undefined, name: string): FieldPath {
  return parent ? parent.child(name) : FieldPath.of(name);
}

/** Renders a path, or "<nil>" for an absent one as Go does. */
export function pathString(p: FieldPath | string | undefined): string {
  if (p === undefined) return '<nil>';
  return typeof p === 'string' ? p : p.toString();
}
