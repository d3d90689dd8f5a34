// The serving module's public surface.

export { startSecureServer, type SecureServer, type SecureServerOptions, type ServingTls, type ShutdownOptions, type UpgradeHandler } from './secure-server.js';
export { createLongRunningRegistry, type LongRunningRegistry } from './long-running.js';
export type { RequestHandler, ServerRequest, ServerResponse } from './types.js';
