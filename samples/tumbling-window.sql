-- Sums of sensor readings over 4-second tumbling windows.
--
-- Twelve readings of one sensor arrive one second apart. A tumbling window of 4 seconds cuts
-- them into three windows, and the table keeps one running total per sensor and window:
--
--   window  0s-4s:  9 + 6 + 8 + 4 = 27
--   window  4s-8s:  7 + 3 + 8 + 4 = 22
--   window 8s-12s:  2 + 1 + 3 + 2 =  8
--
-- Run it:   swift run sluice run --until-idle samples/tumbling-window.sql

CREATE STREAM readings (sensor STRING KEY, value INT)
  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);

-- Event time comes from ROWTIME: 2023-11-14 22:13:20 UTC plus one second per reading.
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000000000, 's1', 9);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000001000, 's1', 6);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000002000, 's1', 8);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000003000, 's1', 4);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000004000, 's1', 7);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000005000, 's1', 3);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000006000, 's1', 8);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000007000, 's1', 4);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000008000, 's1', 2);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000009000, 's1', 1);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000010000, 's1', 3);
INSERT INTO readings (ROWTIME, sensor, value) VALUES (1700000011000, 's1', 2);

-- A persistent query: it keeps running, updating SUMS as readings arrive.
CREATE TABLE sums AS
  SELECT sensor, SUM(value) AS total
  FROM readings
  WINDOW TUMBLING (SIZE 4 SECONDS)
  GROUP BY sensor
  EMIT CHANGES;

-- Every change to the table, window by window: the last row of each window is its final total.
SELECT sensor, WINDOWSTART, WINDOWEND, total FROM sums EMIT CHANGES;
