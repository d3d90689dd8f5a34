// The embedded SQLite backend's public surface.
export { SqliteBackend, openSqliteBackend, type SqliteBackendOptions, type SqliteBackendStats } from './backend.js';
export type { SynchronousMode } from './schema.js';
