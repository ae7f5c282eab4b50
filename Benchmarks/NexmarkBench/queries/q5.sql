-- Nexmark q5, hot items: per 10 s window sliding by 2 s, the auctions with the most bids.
-- Needs an aggregation over a windowed table (the maximum count per window) and a join of the
-- counts with it.
CREATE TABLE q5_counts AS
  SELECT auction, COUNT(*) AS num FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY auction;
CREATE TABLE q5_max AS SELECT WINDOWSTART AS starttime, MAX(num) AS maxn FROM q5_counts GROUP BY WINDOWSTART;
CREATE TABLE q5 AS
  SELECT c.auction AS auction, c.num AS num FROM q5_counts c JOIN q5_max m ON c.WINDOWSTART = m.starttime
  WHERE c.num >= m.maxn;
