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
  res.setHeader(
    'warning',
    problems.map((p) => `299 - ${JSON.stringify(p)}`),
  );
}
