// fieldValidation=Strict|Warn|Ignore: unknown and duplicated fields in a request body are refused
// (Strict: 400 naming the fields, as kube-apiserver's strict decoding error), reported as
// warnings (Warn, the server's default), or ignored.

import { newBadRequest } from '../../api/status-errors.js';
import type { ApiResponse } from './http.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldProblems(unknown: string[], duplicates: string[]): string[] {
  return [...unknown.map((f) => `unknown field "${f}"`), ...duplicates.map((f) => `duplicate field "${f}"`)];
}

export function checkFields(mode: FieldValidation, unknown: string[], duplicates: string[], res: ApiResponse): void {
  if (mode === 'Ignore') return;
  const problems = fieldProblems(unknown, duplicates);
  if (problems.length === 0) return;
  if (mode === 'Strict') throw newBadRequest(`strict decoding error: ${problems.join(', ')}`);
  res.setHeader('warning', warningHeaders(problems));
}

/** Kubernetes' limits on warnings: each at most 256 characters, all together about 4 KiB. */
const MAX_WARNING_LENGTH = 256;
const MAX_WARNINGS_TOTAL = 4096;

/** RFC 7234 warn-codes, with the text escaped to printable ASCII so any header parser takes it. */
export function warningHeaders(messages: string[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (const message of messages) {
    const short = message.length > MAX_WARNING_LENGTH ? `${message.slice(0, MAX_WARNING_LENGTH - 3)}...` : message;
    const escaped = JSON.stringify(short).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const header = `299 - ${escaped}`;
    if (total + header.length > MAX_WARNINGS_TOTAL) break;
    total += header.length;
    out.push(header);
  }
  return out;
}
