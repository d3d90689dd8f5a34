// The channel.k8s.io WebSocket protocols of exec, attach and port-forward: every binary message
// starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1 Status as JSON in
// v4/v5), 4 resize ({"Width","Height"}) — and v5 adds a close signal, [255, channel], by which
// the client says it has no more to send on that channel (stdin's EOF).

export const CHANNEL_V5 = 'v5.channel.k8s.io';
export const CHANNEL_V4 = 'v4.channel.k8s.io';
/** Port-forward's legacy WebSocket protocol names (the v4 framing, two channels per port). */
export const PORT_FORWARD_PROTOCOLS = ['portforward.k8s.io', CHANNEL_V4] as const;
export const REMOTE_COMMAND_PROTOCOLS = [CHANNEL_V5, CHANNEL_V4] as const;

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE_SIGNAL = 255;

export type ChannelMessage = { kind: 'data'; channel: number; data: Buffer } | { kind: 'close'; channel: number };

export function encodeFrame(channel: number, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const frame = Buffer.allocUnsafe(payload.length + 1);
  frame[0] = channel;
  payload.copy(frame, 1);
  return frame;
}

/** Decodes one message; undefined for an empty one. The close signal exists only in v5. */
export function decodeFrame(message: Buffer, protocol: string): ChannelMessage | undefined {
  if (message.length === 0) return undefined;
  const channel = message[0]!;
  if (channel === CLOSE_SIGNAL && protocol === CHANNEL_V5) {
    return message.length >= 2 ? { kind: 'close', channel: message[1]! } : undefined;
  }
  return { kind: 'data', channel, data: message.subarray(1) };
}

/** The first of the client's offered protocols (Sec-WebSocket-Protocol order) that we speak. */
export function chooseProtocol(offered: Iterable<string>, supported: readonly string[]): string | undefined {
  for (const p of offered) if (supported.includes(p)) return p;
  return undefined;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export function decodeResize(data: Buffer): TerminalSize | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width !== 'number' || typeof v.Height !== 'number') return undefined;
    return { width: v.Width, height: v.Height };
  } catch {
    return undefined;
  }
}

/** The Status written on the error channel when a command ends: Success, or NonZeroExitCode with the code. */
export function exitStatus(exitCode: number, command: readonly string[]): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The Status written on the error channel when the command could not run at all. */
export function failureStatus(message: string): object {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

/** Port-forward: the two-byte little-endian port number each channel's first message starts with. */
export function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}
