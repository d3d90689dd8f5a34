// The containerd runtime: Kite's ContainerRuntime over the CRI v1 gRPC API of a containerd socket.

export { ContainerdRuntime, connectContainerdRuntime, createContainerdRuntime, type ContainerdRuntimeOptions } from './containerd-runtime.js';
export { DEFAULT_CONTAINERD_ENDPOINT } from './endpoint.js';
export { CriCallError } from './cri-client.js';
export { tcpDialer, type StreamDialer } from './streaming.js';
export { netnsDialer } from './netns-dialer.js';
