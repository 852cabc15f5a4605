// FIFO identifiers: sequence numbers (strictly increasing, decimal strings of 20 digits like
// AWS's), the 5-minute deduplication window and the dedup scope key.
export const dedupWindowMs = 5 * 60_000;

/** A decimal string that grows with the engine's row id; 20 digits as AWS shows them. */
export function sequenceNumberOf(seq: number): string {
  return (10n ** 19n + BigInt(seq)).toString();
}

/** DeduplicationScope=messageGroup deduplicates per group; queue (default) across the queue. */
export function dedupScopeOf(attributes: Record<string, string>, groupId: string): string {
  return attributes.DeduplicationScope === 'messageGroup' ? `g:${groupId}` : 'q';
}
