-- Complaints as received. Personal data (citizen identity and contact, the citizen's own text)
-- lives only in `body`, the serialized doleances.intake.v1.Complaint as submitted, so that erasure
-- or pseudonymisation rewrites one column; the other columns hold what listing and routing need.
CREATE TABLE complaints (
  complaint_id uuid PRIMARY KEY,
  tracking_code text NOT NULL UNIQUE,
  submitter_id text NOT NULL,
  administration_id text NOT NULL,
  kind smallint NOT NULL,
  channel smallint NOT NULL,
  priority smallint NOT NULL,
  category_hint text NOT NULL DEFAULT '',
  commune_code text NOT NULL DEFAULT '',
  department_code text NOT NULL DEFAULT '',
  -- The submitting system's own reference: a permanent natural key per submitter.
  external_reference text,
  status smallint NOT NULL,
  late_appeal boolean NOT NULL,
  receive_time timestamptz NOT NULL,
  acknowledgement_due_time timestamptz NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1,
  -- SHA-256 of the canonical submitted complaint: replays compare it, never the text.
  request_hash bytea NOT NULL,
  body bytea NOT NULL,
  UNIQUE (submitter_id, external_reference)
);
CREATE INDEX complaints_by_submitter ON complaints (submitter_id, create_time DESC, complaint_id DESC);
CREATE INDEX complaints_by_administration
  ON complaints (administration_id, create_time DESC, complaint_id DESC);

-- Idempotency keys per submitting system (AIP-155), kept at least the configured retention.
CREATE TABLE idempotency_keys (
  submitter_id text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash bytea NOT NULL,
  complaint_id uuid NOT NULL REFERENCES complaints DEFERRABLE INITIALLY DEFERRED,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (submitter_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
