// How long a certificate csrsigning issues is valid (the signer's duration and the authority's
// PermissiveSigningPolicy): spec.expirationSeconds when given, at least 10 minutes and at most
// --cluster-signing-duration (the default without it); notBefore backdated 5 minutes for clock
// skew; notAfter now + TTL for short certificates (under 8 h), else TTL counted from notBefore;
// never past the CA's own notAfter. Kite's one difference: the backdate is at most half the TTL,
// so a --cluster-signing-duration under 10 minutes (tests of rotation) does not give certificates
// that are already due for renewal when issued; for every TTL Kubernetes lets a request ask for
// (≥ 10 minutes) it is Kubernetes' 5 minutes.

const MINUTE_MS = 60_000;
const BACKDATE_MS = 5 * MINUTE_MS;
const SHORT_MS = 8 * 60 * MINUTE_MS;
const MIN_REQUESTED_MS = 10 * MINUTE_MS;

/** The TTL for a request: expirationSeconds within [10 min, signing duration], else the signing duration. */
export function signingTtlMs(expirationSeconds: number | undefined, signingDurationMs: number): number {
  if (expirationSeconds === undefined) return signingDurationMs;
  const requested = expirationSeconds * 1000;
  if (requested > signingDurationMs) return signingDurationMs;
  return Math.max(requested, MIN_REQUESTED_MS);
}

/** The certificate's validity window for `ttlMs` issued at `now` by a CA valid until `caNotAfter`. */
export function certificateWindow(now: number, ttlMs: number, caNotAfter: number): { notBefore: number; notAfter: number } {
  const backdate = Math.min(BACKDATE_MS, Math.floor(ttlMs / 2));
  const notBefore = now - backdate;
  const notAfter = Math.min(ttlMs < SHORT_MS ? now + ttlMs : now + ttlMs - backdate, caNotAfter);
  if (notBefore >= caNotAfter || now >= caNotAfter) throw new Error(`the signer has expired: NotAfter=${new Date(caNotAfter).toISOString()}`);
  return { notBefore, notAfter };
}
