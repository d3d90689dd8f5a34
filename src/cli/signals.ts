// Waiting for SIGTERM or SIGINT: installed at once (before a process announces it is ready), so a
// signal right after "ready" is always handled; resolves with the signal's name.

export function untilSignal(): Promise<string> {
  return new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
