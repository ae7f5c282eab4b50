-- Nexmark q6 without the OVER window (see q6): the closing price of every auction (its highest
-- bid between start and expiry, as q4), averaged per seller over all their closed auctions.
CREATE STREAM q6a_winning AS
  SELECT a.id AS id, a.seller AS seller, b.price AS price
  FROM auction a JOIN bid b WITHIN (0 MILLISECONDS, 4 SECONDS) GRACE PERIOD 5 SECONDS ON a.id = b.auction
  WHERE b.dateTime <= a.expires;
CREATE TABLE q6a_max WITH (KEY_FORMAT='JSON') AS
  SELECT id, seller, MAX(price) AS final FROM q6a_winning GROUP BY id, seller;
CREATE TABLE q6_all AS SELECT seller, AVG(final) AS avg_final FROM q6a_max GROUP BY seller;
