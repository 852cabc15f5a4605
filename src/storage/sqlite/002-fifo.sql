-- Schema version 2: FIFO queues (being written).
SELECT 1;
