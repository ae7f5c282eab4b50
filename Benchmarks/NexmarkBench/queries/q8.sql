-- Nexmark q8, monitor new users: the persons who opened an auction in the same 10 s tumbling
-- window as they registered. A windowed stream-stream join (both sides repartitioned, persons by
-- id and auctions by seller) kept to pairs in the same window, then one row per person and window.
CREATE STREAM q8_pairs AS
  SELECT p.id AS id, p.name AS name, p.dateTime AS starttime
  FROM person p JOIN auction a WITHIN 10 SECONDS GRACE PERIOD 10 SECONDS ON p.id = a.seller
  WHERE p.dateTime / 10000 = a.dateTime / 10000;
CREATE TABLE q8 WITH (KEY_FORMAT='JSON') AS
  SELECT id, name, COUNT(*) AS auctions FROM q8_pairs
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY id, name;
