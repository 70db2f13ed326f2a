-- Tables for the P1 and P3 baselines: copies of intake's and the event log's tables with the
-- same columns, defaults, constraints and indexes (LIKE ... INCLUDING ALL), so that PostgreSQL
-- does the same work per row as for intake, without any consumer reading them.
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.p1_complaints (LIKE intake.complaints INCLUDING ALL);
CREATE TABLE bench.complaints (LIKE intake.complaints INCLUDING ALL);
CREATE TABLE bench.idempotency_keys (LIKE intake.idempotency_keys INCLUDING ALL);
-- LIKE does not copy foreign keys; intake's is checked at commit.
ALTER TABLE bench.idempotency_keys ADD FOREIGN KEY (complaint_id) REFERENCES bench.complaints
  DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE bench.event_log (LIKE events.event_log INCLUDING ALL);
