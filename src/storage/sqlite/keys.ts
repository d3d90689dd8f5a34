// Key ranges. Keys are stored as SQLite TEXT (UTF-8) and compared with the BINARY collation, which
// is memcmp over UTF-8: byte order, as the contract asks. Because UTF-8 byte order equals code-point
// order, the smallest string above every string starting with `prefix` is the prefix with its last
// code point incremented (dropping trailing U+10FFFF code points).

const MAX_CODE_POINT = 0x10ffff;

/** The exclusive upper bound of the keys starting with `prefix`, or undefined when there is none
 *  (empty prefix, or a prefix made only of U+10FFFF). */
export const prefixEnd = (prefix: string): string | undefined => {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < MAX_CODE_POINT) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates have no UTF-8 form
      points.push(next);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
};

/** Byte-order comparison of two keys (UTF-8), for the few places that compare keys in JS. */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
