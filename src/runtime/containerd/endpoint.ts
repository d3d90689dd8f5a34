// Where containerd's CRI socket is by default: a module of its own so that a command line can name
// it without loading the gRPC client.

export const DEFAULT_CONTAINERD_ENDPOINT = '/run/containerd/containerd.sock';
