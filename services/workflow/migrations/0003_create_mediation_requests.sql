-- Requests to mediation (SendToMediation), kept until mediation acknowledges them: written with
-- the case's move to IN_MEDIATION, sent by a retrying task, so none is ever lost. `request` is
-- the serialized doleances.mediation.v1.OpenMediationRequest: it holds the dispute's summary,
-- which never goes into an event.
CREATE TABLE mediation_requests (
  case_id uuid PRIMARY KEY REFERENCES cases,
  request bytea NOT NULL,
  mediation_id uuid,
  attempts int NOT NULL DEFAULT 0,
  next_attempt_time timestamptz NOT NULL,
  last_error text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL
);
CREATE INDEX mediation_requests_pending ON mediation_requests (next_attempt_time)
  WHERE mediation_id IS NULL;

ALTER TABLE cases ADD COLUMN mediation_id uuid;
