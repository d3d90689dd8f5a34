// Reading a bearer token from the Authorization header the way Kubernetes does: "Bearer TOKEN"
// (scheme case-insensitive, split on single spaces, anything after the token ignored).

import type { IncomingHttpHeaders } from 'node:http';

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const parts = header.trim().split(' ', 3);
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}
