-- The shared event log (DESIGN.md §3): an append-only transactional outbox.
-- tx_id is the appending transaction's id. Consumers read only events whose transaction is older
-- than the oldest one still running (pg_snapshot_xmin), in (tx_id, id) order: a transaction that
-- commits late cannot then hide behind a position that has already moved past it.
CREATE TABLE event_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- Events of one aggregate share a partition, so one consumer at a time sees them, in order.
  partition smallint NOT NULL,
  aggregate_id text NOT NULL,
  event_type text NOT NULL,
  payload bytea NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX event_log_partition_position ON event_log (partition, tx_id, id);

-- One row per consumer group and partition: how far the group has applied that partition.
-- A consumer locks the row (FOR UPDATE SKIP LOCKED) for the length of one batch, so two members
-- of a group never apply the same event, and advances it in the transaction of its effects.
CREATE TABLE consumer_positions (
  consumer_group text NOT NULL,
  partition smallint NOT NULL,
  last_tx_id xid8 NOT NULL DEFAULT '0',
  last_event_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, partition)
);
