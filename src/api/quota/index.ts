// Quota evaluation shared by the ResourceQuota controller and the ResourceQuota admission plugin.

export * from './resource-list.js';
export * from './pod-usage.js';
export * from './scopes.js';
export * from './evaluators.js';
