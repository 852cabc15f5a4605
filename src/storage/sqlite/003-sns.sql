-- Schema version 3: SNS topics and subscriptions (being written).
SELECT 1;
