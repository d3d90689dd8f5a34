// Volume set-up failures as the kubelet reports them: a FailedMount event with
// `MountVolume.SetUp failed for volume "x" : <cause>`. `pending` marks a cause that only time can
// fix (an unbound claim): the pod stays Pending and the pod worker retries.

export const FAILED_MOUNT = 'FailedMount';

export class VolumeError extends Error {
  readonly reason = FAILED_MOUNT;

  constructor(
    readonly volume: string,
    readonly detail: string,
    readonly pending = false,
  ) {
    super(`MountVolume.SetUp failed for volume ${JSON.stringify(volume)} : ${detail}`);
    this.name = 'VolumeError';
  }
}

/** A plugin's failure before the manager names the volume. */
export class SetUpError extends Error {
  constructor(
    message: string,
    readonly pending = false,
  ) {
    super(message);
    this.name = 'SetUpError';
  }
}

export function isVolumeError(err: unknown): err is VolumeError {
  return err instanceof VolumeError;
}
