-- What citizens write after submitting: messages (usually answers to requests for information)
-- and one satisfaction survey per complaint. The texts are personal data and stay here; events
-- only say that something arrived.
CREATE TABLE citizen_messages (
  message_id uuid PRIMARY KEY,
  complaint_id uuid NOT NULL REFERENCES complaints,
  -- Optional retry key of the caller, unique per complaint.
  idempotency_key text,
  -- Serialized doleances.intake.v1.CitizenMessage (text and attachment descriptors).
  body bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (complaint_id, idempotency_key)
);
CREATE INDEX citizen_messages_by_complaint ON citizen_messages (complaint_id, create_time, message_id);

CREATE TABLE feedback (
  feedback_id uuid PRIMARY KEY,
  complaint_id uuid NOT NULL UNIQUE REFERENCES complaints,
  satisfaction smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  problem_solved boolean,
  comment text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL DEFAULT now()
);
