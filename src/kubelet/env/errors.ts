// The error a container's configuration cannot be built with (a missing ConfigMap, Secret or key,
// an unsupported field path): the kubelet leaves the container Waiting with reason
// CreateContainerConfigError and this message, and retries on the next sync.

export const CREATE_CONTAINER_CONFIG_ERROR = 'CreateContainerConfigError';

export class ContainerConfigError extends Error {
  readonly reason = CREATE_CONTAINER_CONFIG_ERROR;

  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export function isContainerConfigError(err: unknown): err is ContainerConfigError {
  return err instanceof ContainerConfigError;
}
