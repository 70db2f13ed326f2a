-- P3: the statements intake's PgComplaintStore::Submit runs for a new complaint, in one
-- transaction and in the same order: claim the idempotency key, insert the complaint returning
-- its row, append ComplaintReceived to the event log. Variables as in p1_row.sql, plus
-- :payload (the event, bytea as \x hex).
\set n random(1, 1000000000000000)
BEGIN;
INSERT INTO bench.idempotency_keys (submitter_id, idempotency_key, request_hash, complaint_id)
  VALUES (:submitter, 'k' || :n::text, :hash::bytea, md5(:n::text)::uuid)
  ON CONFLICT DO NOTHING RETURNING 1;
INSERT INTO bench.complaints (complaint_id, tracking_code, submitter_id, administration_id,
  kind, channel, priority, category_hint, commune_code, department_code, external_reference,
  status, late_appeal, receive_time, acknowledgement_due_time, request_hash, body)
VALUES (md5(:n::text)::uuid, 'T' || :n::text, :submitter, :administration, 4, 2, 2, 'voirie',
  '69123', '69', 'BENCH-' || :n::text, 1, false,
  ('epoch'::timestamptz + :us::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + :us::bigint * interval '1 microsecond') + interval '15 days',
  :hash::bytea, :body::bytea)
ON CONFLICT DO NOTHING RETURNING complaint_id::text, tracking_code, submitter_id,
  administration_id, kind, channel, priority, category_hint, commune_code, department_code,
  external_reference, status, late_appeal,
  (extract(epoch FROM receive_time) * 1000000)::bigint,
  (extract(epoch FROM acknowledgement_due_time) * 1000000)::bigint,
  (extract(epoch FROM create_time) * 1000000)::bigint,
  (extract(epoch FROM update_time) * 1000000)::bigint, version, request_hash, body;
INSERT INTO bench.event_log (partition, aggregate_id, event_type, payload)
  VALUES (:n::bigint % 16, md5(:n::text), 'ComplaintReceived', :payload::bytea);
END;
