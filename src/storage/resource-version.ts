// resourceVersion strings <-> revisions. To clients a resourceVersion is opaque; inside Kite it
// is the decimal backend revision. "" means "latest"; "0" means "any".

import { StorageError } from './errors.js';

/** Parses a resourceVersion: undefined for "" / absent, 0 for "0", else the revision. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d{1,16}$/.test(rv)) {
    throw new StorageError('InvalidArgument', `invalid resource version "${rv}": not a revision this store issued`);
  }
  return Number(rv);
}
