-- Nexmark q6, average selling price by seller: the average of each seller's last 10 closing
-- prices. Needs an OVER (... ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) window; q6-all averages
-- over all of a seller's closed auctions instead.
CREATE STREAM q6_winning AS
  SELECT a.id AS id, a.seller AS seller, b.price AS price
  FROM auction a JOIN bid b WITHIN (0 MILLISECONDS, 4 SECONDS) GRACE PERIOD 5 SECONDS ON a.id = b.auction
  WHERE b.dateTime <= a.expires;
CREATE TABLE q6_max WITH (KEY_FORMAT='JSON') AS
  SELECT id, seller, MAX(price) AS final FROM q6_winning GROUP BY id, seller;
CREATE STREAM q6 AS
  SELECT seller, AVG(final) OVER (PARTITION BY seller ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_final
  FROM q6_max;
