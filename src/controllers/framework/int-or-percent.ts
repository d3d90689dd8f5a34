// intstr.IntOrString as rolling updates use it: an int, or a percentage of a total ("25%") rounded
// up or down — Deployments' and DaemonSets' maxSurge and maxUnavailable.

/** An int or a percentage ("25%"). */
export type IntOrString = number | string;

/** intstr.GetScaledValueFromIntOrPercent. Throws for a string that is not "N%". */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const pct = Number(m[1]);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}
