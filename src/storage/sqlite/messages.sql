-- A receipt handle names (seq, receive_count): only the latest receive's handle may delete a row
-- or change its visibility. Every statement here is scoped by queue_id, so a handle from another
-- queue (or from before a dead-letter move, which issues a new seq) never touches a row.

-- name: insert
INSERT INTO messages (queue_id, message_id, body, md5_of_body, attributes, system_attributes, sender_id,
  sent_ms, visible_at, receive_count, first_receive_ms, received_at, group_id, dedup_id, sequence_number,
  dead_letter_source_arn)
VALUES (:queueId, :messageId, :body, :md5OfBody, :attributes, :systemAttributes, :senderId,
  :sentMs, :visibleAtMs, :receiveCount, :firstReceiveMs, NULL, :groupId, :dedupId, :sequenceNumber,
  :deadLetterSourceArn)

-- name: deleteRef
DELETE FROM messages WHERE seq = :seq AND queue_id = :queueId AND receive_count = :receiveCount

-- name: deleteSeq
DELETE FROM messages WHERE seq = ?

-- name: state
SELECT receive_count, received_at FROM messages WHERE seq = :seq AND queue_id = :queueId

-- name: setVisibleAt
UPDATE messages SET visible_at = :visibleAt WHERE seq = :seq

-- name: purge
DELETE FROM messages WHERE queue_id = ?

-- name: counts
SELECT
  coalesce(sum(visible_at <= :nowMs), 0) AS visible,
  coalesce(sum(visible_at > :nowMs AND received_at IS NOT NULL), 0) AS inflight,
  coalesce(sum(visible_at > :nowMs AND received_at IS NULL), 0) AS delayed
FROM messages WHERE queue_id = :queueId

-- name: nextVisibleAt
SELECT visible_at AS at FROM messages WHERE queue_id = ? ORDER BY visible_at, seq LIMIT 1

-- name: expire
DELETE FROM messages WHERE queue_id = :queueId AND sent_ms <= :sentBeforeMs
