// FIFO receive order for the memory engine: groups in order of their oldest message; within a
// group, messages in seq order up to the first one not yet visible; locked groups are skipped.
// Linear in the queue's size, which is fine for the reference engine (SQLite keeps a group table).
import type { QueueState, Row } from './state.js';

export function fifoCandidates(state: QueueState, nowMs: number): Row[] {
  const byGroup = new Map<string, Row[]>();
  for (const row of state.rows.values()) {
    const g = row.message.groupId ?? '';
    let rows = byGroup.get(g);
    if (!rows) byGroup.set(g, (rows = []));
    rows.push(row);
  }
  const out: Row[] = [];
  for (const [group, rows] of byGroup) {
    if ((state.locks.get(group) ?? 0) > nowMs) continue;
    for (const row of rows) {
      if (row.message.visibleAtMs > nowMs) break;
      out.push(row);
    }
  }
  return out;
}

/** Latest end of visibility among the group's received rows still in flight at their own time. */
export function groupLock(state: QueueState, group: string): number {
  let lock = 0;
  for (const row of state.rows.values()) {
    if (row.message.groupId === group && row.receivedAtMs !== undefined) lock = Math.max(lock, row.message.visibleAtMs);
  }
  return lock;
}
