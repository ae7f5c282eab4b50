-- Filter a stream: keep only the readings above a threshold.
--
-- Run it:   swift run sluice run --until-idle samples/hot-readings.sql

CREATE STREAM readings (sensor STRING KEY, location STRING, reading INT)
  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);

INSERT INTO readings (sensor, location, reading) VALUES ('sensor-1', 'wheel', 45);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-2', 'motor', 41);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-1', 'wheel', 42);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-3', 'muffler', 43);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-1', 'wheel', 39);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-2', 'motor', 50);
INSERT INTO readings (sensor, location, reading) VALUES ('sensor-3', 'muffler', 38);

-- A persistent query writing the hot readings to a new stream (and its topic HOT).
CREATE STREAM hot AS
  SELECT sensor, location, reading
  FROM readings
  WHERE reading > 41
  EMIT CHANGES;

-- A push query: the first three hot readings.
SELECT * FROM hot EMIT CHANGES LIMIT 3;

SHOW QUERIES;
