// Container lifecycle hooks (postStart, preStop).

export { FAILED_POST_START_HOOK, FAILED_PRE_STOP_HOOK, runLifecycleHandler, type HookName, type LifecycleOptions, type LifecycleResult } from './handler.js';
