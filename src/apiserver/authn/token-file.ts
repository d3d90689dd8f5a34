// Static bearer tokens from a CSV file in kube-apiserver's --token-auth-file format:
// `token,user,uid,"group1,group2"` per line (groups optional; further columns ignored).

import { readFile } from 'node:fs/promises';
import { bearerToken } from './bearer.js';
import type { Authenticator, UserInfo } from './types.js';

/** Splits CSV text into records (RFC 4180 quoting: "a,b" and "" for a quote). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n') endRecord();
    else if (c !== '\r') field += c;
  }
  if (quoted) throw new Error('token file: unterminated quoted field');
  if (field !== '' || record.length) endRecord();
  return records;
}

/** token → user, from the file's text. Throws on lines with fewer than 3 columns. */
export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  parseCsv(text).forEach((record, index) => {
    if (record.length < 3) {
      throw new Error(`token file line ${index + 1} must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    const token = record[0]!.trim();
    if (!token) return;
    const groups = record.length > 3 ? record[3]!.split(',').map((g) => g.trim()).filter(Boolean) : [];
    tokens.set(token, { name: record[1]!, uid: record[2]!, groups });
  });
  return tokens;
}

export async function loadTokenFile(path: string): Promise<Map<string, UserInfo>> {
  return parseTokenFile(await readFile(path, 'utf8'));
}

/** Authenticates `Authorization: Bearer TOKEN` against a fixed token table. */
export function createTokenAuthenticator(tokens: ReadonlyMap<string, UserInfo>): Authenticator {
  return {
    authenticate(req) {
      const token = bearerToken(req.headers);
      return token === undefined ? undefined : tokens.get(token);
    },
  };
}
