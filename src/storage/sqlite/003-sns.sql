-- Schema version 3: SNS. A subscription belongs to one topic and is unique per (topic, protocol,
-- endpoint), which is what makes Subscribe idempotent. sns_outbox holds HTTP/S deliveries until
-- they succeed or give up: a row is written in the same transaction as the Publish's queue sends,
-- and `next_attempt_ms` doubles as the lease of an attempt in flight (a crash makes it due again).
-- Sequence numbers are 20-digit decimal TEXT, so MAX() over them is numeric order.
CREATE TABLE sns_topics (
  arn                   TEXT    PRIMARY KEY,
  account_id            TEXT    NOT NULL,
  region                TEXT    NOT NULL,
  name                  TEXT    NOT NULL,
  fifo                  INTEGER NOT NULL,
  attributes            TEXT    NOT NULL, -- JSON object of strings
  tags                  TEXT    NOT NULL, -- JSON object of strings
  created_ms            INTEGER NOT NULL,
  subscriptions_deleted INTEGER NOT NULL DEFAULT 0,
  last_sequence         TEXT    NOT NULL DEFAULT '0'
);
CREATE INDEX sns_topics_by_account ON sns_topics (account_id, region, arn);

CREATE TABLE sns_subscriptions (
  arn              TEXT    PRIMARY KEY,
  topic_arn        TEXT    NOT NULL,
  owner            TEXT    NOT NULL,
  protocol         TEXT    NOT NULL,
  endpoint         TEXT    NOT NULL,
  attributes       TEXT    NOT NULL, -- JSON object of strings
  pending          INTEGER NOT NULL,
  authenticated    INTEGER NOT NULL,
  token            TEXT,
  token_expires_ms INTEGER,
  created_ms       INTEGER NOT NULL,
  UNIQUE (topic_arn, protocol, endpoint)
);
CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, arn);

CREATE TABLE sns_outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription_arn TEXT    NOT NULL,
  endpoint         TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  body             TEXT    NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL,
  created_ms       INTEGER NOT NULL
);
CREATE INDEX sns_outbox_due ON sns_outbox (next_attempt_ms, id);

CREATE TABLE sns_fifo_dedup (
  topic_arn       TEXT    NOT NULL,
  dedup_id        TEXT    NOT NULL,
  message_id      TEXT    NOT NULL,
  sequence_number TEXT    NOT NULL,
  expires_ms      INTEGER NOT NULL,
  PRIMARY KEY (topic_arn, dedup_id)
) WITHOUT ROWID;
CREATE INDEX sns_fifo_dedup_expiry ON sns_fifo_dedup (topic_arn, expires_ms);

CREATE TABLE sns_signing_key (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  private_key_pem TEXT NOT NULL,
  certificate_pem TEXT NOT NULL
);
