// The JSONPath subset CRDs use for additionalPrinterColumns and selectableFields, evaluated the
// way client-go's jsonpath does for them: `.spec.replicas`, `.status.conditions[0].type`,
// `.metadata.labels.app\.kubernetes\.io/name`, `['key']`, `[*]`, and filters like
// `.status.conditions[?(@.type=="Ready")].status`; missing keys give no result. Also Go's
// rendering of a found value as a string cell (fmt.Print for scalars, json.Marshal otherwise).

export type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Segment[]; op: '==' | '!=' | 'exists'; value?: unknown };

export class JsonPathError extends Error {}

/** Parses ".a.b[0].c" (with or without the surrounding "{…}"). Throws JsonPathError. */
export function parseJsonPath(text: string): Segment[] {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const p = new Parser(s);
  const segments = p.segments(() => false);
  if (!p.done()) throw new JsonPathError(`unexpected ${JSON.stringify(s.slice(p.pos))} in ${JSON.stringify(text)}`);
  return segments;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }

  private peek(): string {
    return this.s[this.pos] ?? '';
  }

  segments(stop: () => boolean): Segment[] {
    const out: Segment[] = [];
    while (!this.done() && !stop()) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        if (this.peek() === '*') {
          this.pos++;
          out.push({ kind: 'wildcard' });
        } else {
          const name = this.fieldName();
          if (name === '') throw new JsonPathError(`empty field name at ${this.pos} in ${JSON.stringify(this.s)}`);
          out.push({ kind: 'field', name });
        }
      } else if (c === '[') {
        out.push(this.bracket());
      } else {
        throw new JsonPathError(`unexpected ${JSON.stringify(c)} at ${this.pos} in ${JSON.stringify(this.s)}`);
      }
    }
    return out;
  }

  private fieldName(): string {
    let name = '';
    while (!this.done()) {
      const c = this.peek();
      if (c === '\\' && this.pos + 1 < this.s.length) {
        name += this.s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '.' || c === '[' || c === ']' || c === ' ' || c === '=' || c === '!' || c === ')' || c === '<' || c === '>') break;
      name += c;
      this.pos++;
    }
    return name;
  }

  private bracket(): Segment {
    this.pos++; // [
    const c = this.peek();
    let seg: Segment;
    if (c === "'" || c === '"') {
      seg = { kind: 'field', name: this.quoted() };
    } else if (c === '*') {
      this.pos++;
      seg = { kind: 'wildcard' };
    } else if (c === '?') {
      seg = this.filter();
    } else {
      const m = /^-?\d+/.exec(this.s.slice(this.pos));
      if (!m) throw new JsonPathError(`invalid array index at ${this.pos} in ${JSON.stringify(this.s)}`);
      this.pos += m[0].length;
      seg = { kind: 'index', index: Number(m[0]) };
    }
    if (this.peek() !== ']') throw new JsonPathError(`missing "]" at ${this.pos} in ${JSON.stringify(this.s)}`);
    this.pos++;
    return seg;
  }

  private quoted(): string {
    const q = this.peek();
    this.pos++;
    let out = '';
    while (!this.done() && this.peek() !== q) {
      if (this.peek() === '\\' && this.pos + 1 < this.s.length) this.pos++;
      out += this.peek();
      this.pos++;
    }
    if (this.peek() !== q) throw new JsonPathError(`unterminated string in ${JSON.stringify(this.s)}`);
    this.pos++;
    return out;
  }

  private filter(): Segment {
    this.pos++; // ?
    if (this.peek() !== '(') throw new JsonPathError(`missing "(" after "?" in ${JSON.stringify(this.s)}`);
    this.pos++;
    this.skipSpaces();
    if (this.peek() !== '@') throw new JsonPathError(`filter must start with "@" in ${JSON.stringify(this.s)}`);
    this.pos++;
    const path = this.segments(() => /[\s=!)]/.test(this.peek()));
    this.skipSpaces();
    let op: '==' | '!=' | 'exists' = 'exists';
    let value: unknown;
    if (this.s.startsWith('==', this.pos) || this.s.startsWith('!=', this.pos)) {
      op = this.s.slice(this.pos, this.pos + 2) as '==' | '!=';
      this.pos += 2;
      this.skipSpaces();
      value = this.literal();
      this.skipSpaces();
    }
    if (this.peek() !== ')') throw new JsonPathError(`missing ")" in filter of ${JSON.stringify(this.s)}`);
    this.pos++;
    return { kind: 'filter', path, op, value };
  }

  private literal(): unknown {
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted();
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.pos));
    if (!m) throw new JsonPathError(`invalid literal at ${this.pos} in ${JSON.stringify(this.s)}`);
    this.pos += m[0].length;
    return JSON.parse(m[0]);
  }

  private skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every value the path finds in `data`, in document order (missing keys find nothing). */
export function evaluateJsonPath(segments: readonly Segment[], data: unknown): unknown[] {
  let current: unknown[] = [data];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (seg.kind) {
        case 'field':
          if (isObject(v) && Object.hasOwn(v, seg.name)) next.push(v[seg.name]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = seg.index < 0 ? v.length + seg.index : seg.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (isObject(v)) for (const k of Object.keys(v).sort()) next.push(v[k]);
          break;
        case 'filter':
          if (Array.isArray(v)) {
            for (const item of v) if (filterMatches(seg, item)) next.push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

function filterMatches(seg: Extract<Segment, { kind: 'filter' }>, item: unknown): boolean {
  const found = evaluateJsonPath(seg.path, item);
  if (seg.op === 'exists') return found.length > 0 && found[0] !== null && found[0] !== false;
  const equal = found.length > 0 && looselyEqual(found[0], seg.value);
  return seg.op === '==' ? equal : !equal;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return a === b || (typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b));
}

/** The first value the path finds, or undefined. */
export function firstResult(segments: readonly Segment[], data: unknown): unknown {
  const found = evaluateJsonPath(segments, data);
  return found.length > 0 ? found[0] : undefined;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), as fmt's %v prints a float64 ("1.5", "1.2345675e+06"). */
export function goFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // the shortest digits that round-trip, as JavaScript also finds them
  const [mantissa = '', e = '0'] = f.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return f.toFixed(Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - exp));
}

/** A number as Go prints a value decoded from JSON (int64 for integral values, float64 otherwise). */
export function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n);
}

/** encoding/json.Marshal: object keys sorted, <, > and & escaped. */
export function goJson(value: unknown): string {
  const render = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(render).join(',')}]`;
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return `{${Object.keys(o)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${render(o[k])}`)
        .join(',')}}`;
    }
    if (typeof v === 'number') return Number.isInteger(v) ? goNumber(v) : JSON.stringify(v);
    return JSON.stringify(v);
  };
  return render(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A found value as a string cell, as jsonpath.PrintResults writes it; undefined for null. */
export function printValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return goJson(value);
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}
