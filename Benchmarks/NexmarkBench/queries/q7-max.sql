-- Nexmark q7, first stage: the highest price of each 10 s tumbling window (one group for all
-- bids). Joining it back to the bids is q7 (pending).
CREATE TABLE q7_max AS
  SELECT 1 AS k, MAX(price) AS maxprice FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY 1;
