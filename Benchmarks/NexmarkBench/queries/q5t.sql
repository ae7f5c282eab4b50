-- The ../shared/bench q5 (what its Flink and DuckDB numbers measure): bids per auction per 10 s
-- tumbling window, watermark / grace 4 s.
CREATE TABLE q5t AS SELECT auction, COUNT(*) AS num FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY auction;
