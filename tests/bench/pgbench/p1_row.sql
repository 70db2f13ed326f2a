-- P1: one complaint-shaped row per transaction (autocommit), the floor of a durable insert.
-- Variables: :submitter :administration :hash :body (bytea as \x hex), set with pgbench -D.
\set n random(1, 1000000000000000)
INSERT INTO bench.p1_complaints (complaint_id, tracking_code, submitter_id, administration_id,
  kind, channel, priority, category_hint, commune_code, department_code, external_reference,
  status, late_appeal, receive_time, acknowledgement_due_time, request_hash, body)
VALUES (md5(:n::text)::uuid, 'T' || :n::text, :submitter, :administration, 4, 2, 2, 'voirie',
  '69123', '69', 'BENCH-' || :n::text, 1, false, now(), now() + interval '15 days',
  :hash::bytea, :body::bytea);
