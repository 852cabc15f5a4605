-- SNS statements. Topic and subscription lists page by ARN (the NextToken is the last ARN seen);
-- the outbox is claimed oldest-due first through sns_outbox_due.

-- name: insertTopic
INSERT INTO sns_topics (arn, account_id, region, name, fifo, attributes, tags, created_ms, subscriptions_deleted)
VALUES (:arn, :accountId, :region, :name, :fifo, :attributes, :tags, :createdMs, :subscriptionsDeleted);

-- name: topicByArn
SELECT * FROM sns_topics WHERE arn = ?;

-- name: listTopics
SELECT * FROM sns_topics WHERE account_id = :accountId AND region = :region AND arn > :after ORDER BY arn LIMIT :limit;

-- name: updateTopic
UPDATE sns_topics SET attributes = coalesce(:attributes, attributes), tags = coalesce(:tags, tags) WHERE arn = :arn;

-- name: deleteTopic
DELETE FROM sns_topics WHERE arn = ?;

-- name: deleteTopicSubscriptions
DELETE FROM sns_subscriptions WHERE topic_arn = ?;

-- name: deleteTopicDedup
DELETE FROM sns_fifo_dedup WHERE topic_arn = ?;

-- name: insertSubscription
INSERT INTO sns_subscriptions (arn, topic_arn, owner, protocol, endpoint, attributes, pending, authenticated, token, token_expires_ms, created_ms)
VALUES (:arn, :topicArn, :owner, :protocol, :endpoint, :attributes, :pending, :authenticated, :token, :tokenExpiresMs, :createdMs);

-- name: subscriptionByKey
SELECT * FROM sns_subscriptions WHERE topic_arn = :topicArn AND protocol = :protocol AND endpoint = :endpoint;

-- name: subscriptionByArn
SELECT * FROM sns_subscriptions WHERE arn = ?;

-- name: subscriptionsOfTopic
SELECT * FROM sns_subscriptions WHERE topic_arn = :topicArn AND arn > :after ORDER BY arn LIMIT :limit;

-- name: listSubscriptions
SELECT * FROM sns_subscriptions WHERE arn >= :prefix AND arn < :prefixEnd AND arn > :after ORDER BY arn LIMIT :limit;

-- name: updateSubscription
UPDATE sns_subscriptions SET
  attributes = coalesce(:attributes, attributes),
  pending = coalesce(:pending, pending),
  authenticated = coalesce(:authenticated, authenticated),
  token = CASE WHEN :setToken THEN :token ELSE token END,
  token_expires_ms = CASE WHEN :setToken THEN :tokenExpiresMs ELSE token_expires_ms END
WHERE arn = :arn;

-- name: deleteSubscription
DELETE FROM sns_subscriptions WHERE arn = ?;

-- name: countDeleted
UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE arn = ?;

-- name: insertDelivery
INSERT INTO sns_outbox (subscription_arn, endpoint, kind, body, next_attempt_ms, created_ms)
VALUES (:subscriptionArn, :endpoint, :kind, :body, :nextAttemptMs, :createdMs);

-- name: dueDeliveries
SELECT * FROM sns_outbox
WHERE next_attempt_ms <= :nowMs AND subscription_arn NOT IN (SELECT value FROM json_each(:skip))
ORDER BY next_attempt_ms, id LIMIT :limit;

-- name: leaseDelivery
UPDATE sns_outbox SET next_attempt_ms = :until WHERE id = :id;

-- name: finishDelivery
DELETE FROM sns_outbox WHERE id = ?;

-- name: retryDelivery
UPDATE sns_outbox SET attempts = :attempts, next_attempt_ms = :nextAttemptMs WHERE id = :id;

-- name: nextDelivery
SELECT min(next_attempt_ms) AS at FROM sns_outbox;

-- name: findDedup
SELECT * FROM sns_fifo_dedup WHERE topic_arn = :topicArn AND dedup_id = :dedupId AND expires_ms > :nowMs;

-- name: expireDedup
DELETE FROM sns_fifo_dedup WHERE topic_arn = :topicArn AND expires_ms <= :nowMs;

-- name: upsertDedup
INSERT OR REPLACE INTO sns_fifo_dedup (topic_arn, dedup_id, message_id, sequence_number, expires_ms)
VALUES (:topicArn, :dedupId, :messageId, :sequenceNumber, :expiresMs);

-- name: bumpSequence
UPDATE sns_topics SET last_sequence = max(last_sequence, :sequenceNumber) WHERE arn = :topicArn;

-- name: lastSequence
SELECT last_sequence FROM sns_topics WHERE arn = ?;

-- name: getKey
SELECT private_key_pem, certificate_pem FROM sns_signing_key WHERE id = 1;

-- name: putKey
INSERT OR IGNORE INTO sns_signing_key (id, private_key_pem, certificate_pem) VALUES (1, :privateKeyPem, :certificatePem);
