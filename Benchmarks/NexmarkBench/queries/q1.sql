-- Nexmark q1, currency conversion: projection with arithmetic (the ../shared/bench form, without
-- `extra`, so the numbers compare with its Flink and DuckDB runs).
CREATE STREAM q1 AS SELECT auction, bidder, 0.908 * price AS price, dateTime FROM bid;
