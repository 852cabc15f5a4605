-- FIFO bookkeeping. A group row exists exactly while the group has messages; head_seq is its
-- smallest seq. The lock is recomputed from the group's first rows only: receives hand out a
-- group's messages from its head, at most 10 at a time, so every received row is among them.

-- name: queueFifo
SELECT fifo FROM queues WHERE id = ?

-- name: setSequence
UPDATE messages SET sequence_number = :sequenceNumber WHERE seq = :seq

-- name: groupUpsert
INSERT INTO fifo_groups (queue_id, group_id, head_seq, locked_until) VALUES (:queueId, :groupId, :seq, 0)
ON CONFLICT (queue_id, group_id) DO NOTHING

-- name: readyGroups
SELECT group_id, head_seq FROM fifo_groups
WHERE queue_id = :queueId AND head_seq > :afterHead AND locked_until <= :nowMs
ORDER BY head_seq
LIMIT :limit

-- name: groupRows
SELECT * FROM messages
WHERE queue_id = :queueId AND group_id = :groupId AND seq > :afterSeq
ORDER BY seq
LIMIT :limit

-- name: lockGroup
UPDATE fifo_groups SET locked_until = max(locked_until, :until) WHERE queue_id = :queueId AND group_id = :groupId

-- name: dropEmptyGroup
DELETE FROM fifo_groups WHERE queue_id = :queueId AND group_id = :groupId
  AND NOT EXISTS (SELECT 1 FROM messages WHERE queue_id = :queueId AND group_id = :groupId)

-- name: refreshGroup
UPDATE fifo_groups SET
  head_seq = (SELECT min(seq) FROM messages WHERE queue_id = :queueId AND group_id = :groupId),
  locked_until = coalesce((SELECT max(visible_at) FROM (
      SELECT visible_at, received_at FROM messages WHERE queue_id = :queueId AND group_id = :groupId ORDER BY seq LIMIT 20
    ) WHERE received_at IS NOT NULL), 0)
WHERE queue_id = :queueId AND group_id = :groupId

-- name: dropEmptyGroups
DELETE FROM fifo_groups WHERE queue_id = :queueId
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.queue_id = fifo_groups.queue_id AND m.group_id = fifo_groups.group_id)

-- name: refreshHeads
-- After a retention sweep: new heads, and locks recomputed (an expired row may have held one).
UPDATE fifo_groups SET
  head_seq = (SELECT min(seq) FROM messages m WHERE m.queue_id = fifo_groups.queue_id AND m.group_id = fifo_groups.group_id),
  locked_until = coalesce((SELECT max(visible_at) FROM (
      SELECT visible_at, received_at FROM messages m WHERE m.queue_id = fifo_groups.queue_id AND m.group_id = fifo_groups.group_id ORDER BY seq LIMIT 20
    ) WHERE received_at IS NOT NULL), 0)
WHERE queue_id = :queueId

-- name: groupOf
SELECT group_id FROM messages WHERE seq = ?

-- name: dedupFind
SELECT message_id, sequence_number FROM fifo_dedup
WHERE queue_id = :queueId AND scope = :scope AND dedup_id = :dedupId AND until_ms > :sentMs

-- name: dedupPut
INSERT OR REPLACE INTO fifo_dedup (queue_id, scope, dedup_id, message_id, sequence_number, until_ms)
VALUES (:queueId, :scope, :dedupId, :messageId, :sequenceNumber, :untilMs)

-- name: dedupExpire
DELETE FROM fifo_dedup WHERE queue_id = :queueId AND until_ms <= :nowMs

-- name: purgeGroups
DELETE FROM fifo_groups WHERE queue_id = ?

-- name: dropDedup
DELETE FROM fifo_dedup WHERE queue_id = ?

-- name: rowBySeq
SELECT * FROM messages WHERE seq = ? AND queue_id = ?

-- name: saveTask
-- An upsert, not INSERT OR REPLACE: an update keeps the rowid that orders same-millisecond tasks.
INSERT INTO move_tasks (task_id, source_arn, started_ms, body) VALUES (:taskId, :sourceArn, :startedMs, :body)
ON CONFLICT (task_id) DO UPDATE SET body = excluded.body

-- name: listTasks
SELECT body FROM move_tasks WHERE :sourceArn IS NULL OR source_arn = :sourceArn ORDER BY started_ms DESC, rowid DESC
