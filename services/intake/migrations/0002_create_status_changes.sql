-- The citizen-facing history of each complaint after its receipt (version 1 is the complaint
-- row itself): status changes mirrored from workflow's and mediation's events, and the
-- citizen's own acts (withdrawal). WatchComplaint streams these rows in version order.
CREATE TABLE status_changes (
  complaint_id uuid NOT NULL REFERENCES complaints,
  version bigint NOT NULL,
  status smallint NOT NULL,
  previous_status smallint NOT NULL,
  entry_type smallint NOT NULL,
  actor_kind smallint NOT NULL,
  change_time timestamptz NOT NULL,
  PRIMARY KEY (complaint_id, version)
);
