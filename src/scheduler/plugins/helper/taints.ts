// Taints and tolerations: the shared helpers in api/taints.ts.

export { findUntoleratedTaint, toleratesTaint, tolerationsTolerateTaint } from '../../../api/taints.js';
