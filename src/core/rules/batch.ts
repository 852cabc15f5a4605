// Batch-wide rules shared by the three batch actions: 1–10 entries, ids of 1–80 [A-Za-z0-9_-],
// ids distinct. These fail the whole request; per-entry problems become Failed entries instead.
import { err } from '../errors.js';
import { limits } from '../limits.js';

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function validateBatch(entries: { Id?: string }[] | undefined, entryName: string): void {
  if (!entries || entries.length === 0) {
    throw err('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > limits.batchMaxEntries) {
    throw err('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${limits.batchMaxEntries}. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (typeof e.Id !== 'string' || !BATCH_ID.test(e.Id)) {
      throw err('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(e.Id)) throw err('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`);
    seen.add(e.Id);
  }
}
