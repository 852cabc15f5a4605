-- Schema version 1. A message row belongs to exactly one queue; `visible_at` is the single
-- timestamp for both delay and invisibility, so receive is a range scan of messages_by_visibility.
-- AUTOINCREMENT keeps queue ids and message seqs from ever being reused, even after deletes.
-- `received_at` is the latest receive in this queue (NULL until then): in flight vs delayed.
CREATE TABLE queues (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id       TEXT    NOT NULL,
  region           TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  fifo             INTEGER NOT NULL,
  attributes       TEXT    NOT NULL, -- JSON object of strings
  tags             TEXT    NOT NULL, -- JSON object of strings
  created_ms       INTEGER NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  last_purge_ms    INTEGER NOT NULL,
  UNIQUE (account_id, region, name)
);

CREATE TABLE deleted_queues (
  account_id TEXT    NOT NULL,
  region     TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  deleted_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;

CREATE TABLE messages (
  seq                    INTEGER PRIMARY KEY AUTOINCREMENT,
  queue_id               INTEGER NOT NULL,
  message_id             TEXT    NOT NULL,
  body                   TEXT    NOT NULL,
  md5_of_body            TEXT    NOT NULL,
  attributes             TEXT    NOT NULL, -- JSON MessageAttributes, BinaryValue as base64
  system_attributes      TEXT    NOT NULL,
  sender_id              TEXT    NOT NULL,
  sent_ms                INTEGER NOT NULL,
  visible_at             INTEGER NOT NULL,
  receive_count          INTEGER NOT NULL,
  first_receive_ms       INTEGER,
  received_at            INTEGER,
  group_id               TEXT,
  dedup_id               TEXT,
  sequence_number        TEXT,
  dead_letter_source_arn TEXT
);

-- received_at rides along so counts() is answered from the index alone.
CREATE INDEX messages_by_visibility ON messages (queue_id, visible_at, seq, received_at);
CREATE INDEX messages_by_sent ON messages (queue_id, sent_ms);
