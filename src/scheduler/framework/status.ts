// The result of a plugin call (framework.Status): a code, the reasons behind it and the plugin
// that produced it. Unschedulable and UnschedulableAndUnresolvable reject a pod on a node; the
// difference is whether preemption could help. Skip means "this plugin has nothing to do here".

export enum Code {
  Success = 'Success',
  Error = 'Error',
  Unschedulable = 'Unschedulable',
  UnschedulableAndUnresolvable = 'UnschedulableAndUnresolvable',
  Wait = 'Wait',
  Skip = 'Skip',
}

export class Status {
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
    readonly error?: Error,
  ) {}

  static success(): Status {
    return SUCCESS;
  }
  static skip(): Status {
    return new Status(Code.Skip);
  }
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static error(err: unknown): Status {
    const e = err instanceof Error ? err : new Error(String(err));
    return new Status(Code.Error, [e.message], e);
  }
  /** kube's error when a plugin's Filter/Score finds no state from its PreFilter/PreScore. */
  static missingState(key: string): Status {
    return Status.error(`reading "${key}" from cycleState: not found`);
  }
  static wait(): Status {
    return new Status(Code.Wait);
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }
  isSkip(): boolean {
    return this.code === Code.Skip;
  }
  isWait(): boolean {
    return this.code === Code.Wait;
  }
  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
  message(): string {
    return this.reasons.join(', ');
  }
  withPlugin(name: string): Status {
    if (this === SUCCESS) return this;
    this.plugin = name;
    return this;
  }
}

const SUCCESS = new Status(Code.Success);

/** A missing status counts as success, as a nil *Status does in Go. */
export function isSuccess(s: Status | undefined | null): boolean {
  return !s || s.code === Code.Success;
}
