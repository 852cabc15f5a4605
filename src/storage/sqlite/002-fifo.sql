-- Schema version 2: FIFO queues and message move tasks. fifo_groups keeps each message group's
-- oldest message (head_seq) and a lock that ends when the last of its received messages is
-- visible again, so a FIFO receive finds ready groups in an index instead of scanning the backlog.
-- fifo_dedup holds the open deduplication windows; move_tasks persists StartMessageMoveTask state.
CREATE TABLE fifo_groups (
  queue_id     INTEGER NOT NULL,
  group_id     TEXT    NOT NULL,
  head_seq     INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (queue_id, group_id)
) WITHOUT ROWID;
CREATE INDEX fifo_groups_by_head ON fifo_groups (queue_id, head_seq);

CREATE INDEX messages_by_group ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;

CREATE TABLE fifo_dedup (
  queue_id        INTEGER NOT NULL,
  scope           TEXT    NOT NULL,
  dedup_id        TEXT    NOT NULL,
  message_id      TEXT    NOT NULL,
  sequence_number TEXT,
  until_ms        INTEGER NOT NULL,
  PRIMARY KEY (queue_id, scope, dedup_id)
) WITHOUT ROWID;
CREATE INDEX fifo_dedup_by_until ON fifo_dedup (queue_id, until_ms);

CREATE TABLE move_tasks (
  task_id    TEXT    PRIMARY KEY,
  source_arn TEXT    NOT NULL,
  started_ms INTEGER NOT NULL,
  body       TEXT    NOT NULL -- JSON MoveTaskRecord
);
CREATE INDEX move_tasks_by_source ON move_tasks (source_arn, started_ms);
