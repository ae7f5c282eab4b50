-- Nexmark q4, average closing price per category: the highest bid of each auction made between
-- the auction's start and its expiry, averaged per category.
-- Flink: an unbounded join with `B.dateTime BETWEEN A.dateTime AND A.expires`. Here a windowed
-- stream-stream join: a bid may follow its auction by up to 4 s (auctions last at most 2 x 1,666
-- events = 334 ms at 10,000 events/s, 3.4 s at the 1,000 events/s of --latency runs), then the
-- expiry is checked; MAX per auction, then AVG per category over that (updating) table.
CREATE STREAM q4_winning AS
  SELECT a.id AS id, a.category AS category, b.price AS price
  FROM auction a JOIN bid b WITHIN (0 MILLISECONDS, 4 SECONDS) GRACE PERIOD 5 SECONDS ON a.id = b.auction
  WHERE b.dateTime <= a.expires;
CREATE TABLE q4_max WITH (KEY_FORMAT='JSON') AS
  SELECT id, category, MAX(price) AS final FROM q4_winning GROUP BY id, category;
CREATE TABLE q4 AS SELECT category, AVG(final) AS avg_final FROM q4_max GROUP BY category;
