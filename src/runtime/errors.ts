// Errors every runtime throws the same way, so the kubelet can tell "no such sandbox, container or
// image" (CRI's NotFound) from a failure worth retrying.

export class RuntimeNotFoundError extends Error {
  constructor(
    readonly what: 'sandbox' | 'container' | 'image',
    readonly id: string,
  ) {
    super(`${what} "${id}" not found`);
    this.name = 'RuntimeNotFoundError';
  }
}

export function isRuntimeNotFound(err: unknown): err is RuntimeNotFoundError {
  return err instanceof RuntimeNotFoundError;
}
