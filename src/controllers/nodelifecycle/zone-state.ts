// A zone's health (nodelifecycle's ComputeZoneState and setLimiterInZone): Normal, PartialDisruption
// (more than two nodes not ready and at least --unhealthy-zone-threshold of them) or FullDisruption
// (no node ready), and the tainting rate each state allows.

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface ZoneRates {
  evictionRate: number;
  secondaryEvictionRate: number;
  unhealthyZoneThreshold: number;
  largeClusterSizeThreshold: number;
}

/** The state of a zone from its nodes' Ready statuses ("True", "False", "Unknown", or undefined). */
export function computeZoneState(readyStatuses: readonly (string | undefined)[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) {
    if (s === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/** The tainting rate of a zone of `size` nodes in `state`. */
export function zoneRate(state: ZoneState, size: number, rates: ZoneRates): number {
  switch (state) {
    case 'PartialDisruption':
      return size > rates.largeClusterSizeThreshold ? rates.secondaryEvictionRate : 0;
    default:
      return rates.evictionRate;
  }
}
