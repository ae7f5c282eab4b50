-- The hot-readings filter over records loaded from a file with `sluice produce`.
--
-- Load the data first (keys and JSON values separated by '|'), then run this file:
--
--   swift run sluice produce readings --key-separator '|' --data-dir /tmp/loaded < samples/data/readings.txt
--   swift run sluice run --until-idle --data-dir /tmp/loaded samples/filter-loaded-readings.sql
--
-- Without loaded data the stream is empty and the push query below prints no rows.

-- The topic may already exist (created by `sluice produce`); PARTITIONS only applies if it does not.
CREATE STREAM readings (sensor STRING KEY, location STRING, reading INT)
  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);

CREATE STREAM hot AS
  SELECT sensor, location, reading
  FROM readings
  WHERE reading > 41
  EMIT CHANGES;

SELECT * FROM hot EMIT CHANGES LIMIT 4;
