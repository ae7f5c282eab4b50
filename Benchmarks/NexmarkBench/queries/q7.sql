-- Nexmark q7, highest bid: the bid(s) carrying the highest price of each 10 s tumbling window.
-- Needs a join of the bid stream with a windowed table (the maximum per window); q7-max is the
-- maximum alone.
CREATE TABLE q7_max AS
  SELECT 1 AS k, MAX(price) AS maxprice FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY 1;
CREATE STREAM q7_bids AS SELECT 1 AS k, auction, price, bidder, dateTime FROM bid PARTITION BY 1;
CREATE STREAM q7 AS
  SELECT b.k AS k, b.auction AS auction, b.price AS price, b.bidder AS bidder, b.dateTime AS dateTime
  FROM q7_bids b JOIN q7_max m ON b.k = m.k WHERE b.price = m.maxprice;
