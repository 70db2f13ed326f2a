-- The citizen-visible clocks of each complaint (first response, resolution, statutory reply,
-- appeal window, mediation clocks), mirrored from workflow's and mediation's clock events. One
-- row per clock; `deadline` is a serialized doleances.type.v1.Deadline.
CREATE TABLE deadlines (
  complaint_id uuid NOT NULL REFERENCES complaints,
  clock smallint NOT NULL,
  deadline bytea NOT NULL,
  PRIMARY KEY (complaint_id, clock)
);
