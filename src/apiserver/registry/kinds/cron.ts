// A syntax check of cron schedules as robfig/cron's ParseStandard accepts them (five fields or a
// @descriptor), for CronJob validation. Returns the error text, or undefined when valid.

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds {
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

function parseNumber(s: string, b: Bounds): number | string {
  const idx = b.names?.indexOf(s.toLowerCase()) ?? -1;
  if (idx >= 0) return idx + b.min;
  if (!/^\d+$/.test(s)) return `failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`;
  return Number(s);
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const [rangePart, stepPart, ...extra] = expr.split('/');
  if (extra.length > 0) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (rangePart === '*' || rangePart === '?') {
    start = b.min;
    end = b.max;
  } else {
    const [lo, hi, ...more] = rangePart!.split('-');
    if (more.length > 0) return `too many hyphens: ${expr}`;
    const l = parseNumber(lo!, b);
    if (typeof l === 'string') return l;
    start = l;
    if (hi === undefined) end = stepPart === undefined ? l : b.max;
    else {
      const h = parseNumber(hi, b);
      if (typeof h === 'string') return h;
      end = h;
    }
  }
  if (stepPart !== undefined) {
    const st = parseNumber(stepPart, { min: 0, max: 0 });
    if (typeof st === 'string') return st;
    if (st === 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** The parse error of a standard cron spec, or undefined when it parses. */
export function cronError(spec: string): string | undefined {
  const s = spec.trim();
  if (s.length === 0) return 'empty spec string';
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return undefined;
    if (s.startsWith('@every ')) {
      const d = s.slice(7).trim();
      return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(d) ? undefined : `failed to parse duration ${s}: time: invalid duration "${d}"`;
    }
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i]!.split(',')) {
      const err = checkRange(part, FIELDS[i]!);
      if (err) return err;
    }
  }
  return undefined;
}
