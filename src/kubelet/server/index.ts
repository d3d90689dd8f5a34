// The kubelet API server's public surface: the server, the host interface the kubelet implements,
// and the runtime-backed stats helper.

export { startKubeletServer, DEFAULT_KUBELET_PORT, type KubeletServer, type KubeletServerOptions, type KubeletServerTls } from './server.js';
export type { ContainerLocation, KubeletHost } from './host.js';
export { RuntimeStats, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, CONTAINER_NAME_LABEL, type RuntimeStatsOptions } from './stats.js';
export { APISERVER_KUBELET_CLIENT } from './auth.js';
