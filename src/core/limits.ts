// AWS's structural limits (shared/spec §4, §5, §7). Seconds appear only where the wire uses them.
export const limits = {
  queueNameMax: 80,
  batchMaxEntries: 10,
  batchIdMax: 80,
  messageMaxBytes: 1_048_576,
  messageMinBytes: 1_024,
  messageAttributesMax: 10,
  attributeNameMax: 256,
  delaySecondsMax: 900,
  retentionSecondsMin: 60,
  retentionSecondsMax: 1_209_600,
  waitSecondsMax: 20,
  visibilitySecondsMax: 43_200,
  receiveMax: 10,
  listQueuesMax: 1000,
  /** A deleted queue's name stays blocked this long. */
  queueDeletedRecentlyMs: 60_000,
  /** Only one PurgeQueue per queue in this window. */
  purgeIntervalMs: 60_000,
  tagsMax: 50,
  tagKeyMax: 128,
  tagValueMax: 256,
  permissionLabelMax: 80,
  permissionActionsMax: 7,
} as const;
