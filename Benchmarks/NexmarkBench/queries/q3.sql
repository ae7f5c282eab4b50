-- Nexmark q3, local item suggestion: who sells in category 10 in OR, ID or CA.
-- Flink joins the two streams without a window; here the persons are a table keyed by id (the
-- loader keys the person topic by id, KAFKA BIGINT), so each auction is enriched with its seller
-- as of the auction's time: a stream-table join, after a repartition of the auctions by seller.
CREATE STREAM q3 AS
  SELECT a.seller AS seller, p.name AS name, p.city AS city, p.state AS state, a.id AS id
  FROM auction a JOIN person_t p ON a.seller = p.id
  WHERE a.category = 10 AND (p.state = 'OR' OR p.state = 'ID' OR p.state = 'CA');
