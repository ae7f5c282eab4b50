-- The ../shared/bench agg: a running (non-windowed, updating) count, sum and maximum per channel.
CREATE TABLE agg AS
  SELECT channel, COUNT(*) AS cnt, SUM(price) AS sum_price, MAX(price) AS max_price FROM bid GROUP BY channel;
