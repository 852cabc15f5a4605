-- One receive is one savepoint: candidates are read in (visible_at, seq) order from the index,
-- expired rows are deleted, rows past maxReceiveCount move to the DLQ under a new seq, and the
-- rest get receive_count + 1, first_receive_ms (once), received_at and a new visible_at together.

-- name: candidates
SELECT seq, visible_at, sent_ms, receive_count FROM messages
WHERE queue_id = :queueId AND visible_at <= :nowMs AND (visible_at, seq) > (:afterVisibleAt, :afterSeq)
ORDER BY visible_at, seq
LIMIT :limit

-- name: markReceived
UPDATE messages SET
  receive_count    = receive_count + 1,
  first_receive_ms = coalesce(first_receive_ms, :nowMs),
  received_at      = :nowMs,
  visible_at       = :visibleAt
WHERE seq = :seq
RETURNING *

-- name: moveToQueue
INSERT INTO messages (queue_id, message_id, body, md5_of_body, attributes, system_attributes, sender_id,
  sent_ms, visible_at, receive_count, first_receive_ms, received_at, group_id, dedup_id, sequence_number,
  dead_letter_source_arn)
SELECT :dlqId, message_id, body, md5_of_body, attributes, system_attributes, sender_id,
  sent_ms, :nowMs, receive_count, first_receive_ms, NULL, group_id, dedup_id, sequence_number,
  :sourceArn
FROM messages WHERE seq = :seq
