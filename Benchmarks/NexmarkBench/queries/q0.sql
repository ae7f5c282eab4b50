-- Nexmark q0, pass-through: every field of every bid, decoded and encoded again.
CREATE STREAM q0 AS SELECT auction, bidder, price, channel, url, dateTime, extra FROM bid;
