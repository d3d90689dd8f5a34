// A minimal DER (ASN.1) writer: the handful of types a PKCS#10 certificate request needs
// (SEQUENCE, SET, INTEGER, OBJECT IDENTIFIER, UTF8String, OCTET STRING, BIT STRING and
// context-specific tags), so that asking for a certificate does not need a full X.509 library.

/** One DER element: tag, length, content. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else if (n < 0x100) length = [0x81, n];
  else if (n < 0x10000) length = [0x82, n >> 8, n & 0xff];
  else length = [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
/** A small non-negative INTEGER. */
export const smallInteger = (value: number): Buffer => tlv(0x02, Buffer.from([value]));
/** [n] constructed (EXPLICIT or a constructed IMPLICIT type). */
export const contextConstructed = (n: number, ...items: Uint8Array[]): Buffer => tlv(0xa0 | n, Buffer.concat(items));
/** [n] primitive IMPLICIT. */
export const contextPrimitive = (n: number, bytes: Uint8Array): Buffer => tlv(0x80 | n, bytes);

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}
