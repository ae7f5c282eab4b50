-- Nexmark q5, first stage: bids per auction per 10 s window sliding by 2 s (every bid updates
-- five windows). The hot-item selection on top of it is q5 (pending).
CREATE TABLE q5_count AS
  SELECT auction, COUNT(*) AS num FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY auction;
