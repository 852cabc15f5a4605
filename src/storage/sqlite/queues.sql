-- Queue rows are unique per (account_id, region, name); ids come from AUTOINCREMENT and are never
-- reused. Deleting a queue records its time in deleted_queues (QueueDeletedRecently) in the same
-- transaction that drops its messages.

-- name: insert
INSERT INTO queues (account_id, region, name, fifo, attributes, tags, created_ms, last_modified_ms, last_purge_ms)
VALUES (:accountId, :region, :name, :fifo, :attributes, :tags, :createdMs, :lastModifiedMs, :lastPurgeMs)
RETURNING *

-- name: byKey
SELECT * FROM queues WHERE account_id = :accountId AND region = :region AND name = :name

-- name: exists
SELECT 1 FROM queues WHERE id = ?

-- name: byId
SELECT * FROM queues WHERE id = ?

-- name: list
SELECT * FROM queues
WHERE account_id = :accountId AND region = :region AND substr(name, 1, length(:prefix)) = :prefix
ORDER BY name

-- name: all
SELECT * FROM queues ORDER BY id

-- name: update
UPDATE queues SET
  attributes       = coalesce(:attributes, attributes),
  tags             = coalesce(:tags, tags),
  last_modified_ms = coalesce(:lastModifiedMs, last_modified_ms),
  last_purge_ms    = coalesce(:lastPurgeMs, last_purge_ms)
WHERE id = :id

-- name: delete
DELETE FROM queues WHERE id = ?

-- name: rememberDeleted
INSERT INTO deleted_queues (account_id, region, name, deleted_ms)
VALUES (:accountId, :region, :name, :deletedMs)
ON CONFLICT (account_id, region, name) DO UPDATE SET deleted_ms = excluded.deleted_ms

-- name: lastDeleted
SELECT deleted_ms FROM deleted_queues WHERE account_id = :accountId AND region = :region AND name = :name
