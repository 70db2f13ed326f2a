-- The mediator registry. mediator_key is a small surrogate so that sessions can exclude
-- overlaps per mediator with built-in gist operator classes only (see sessions below).
CREATE TABLE mediators (
  mediator_id uuid PRIMARY KEY,
  mediator_key bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  principal_id text NOT NULL UNIQUE,
  display_name text NOT NULL,
  administration_ids text[] NOT NULL,
  specialties text[] NOT NULL DEFAULT '{}',
  territory_prefixes text[] NOT NULL DEFAULT '{}',
  capacity int NOT NULL DEFAULT 0,
  -- Availability windows as parallel arrays of epoch microseconds; NULL = unbounded side.
  window_starts bigint[] NOT NULL DEFAULT '{}',
  window_ends bigint[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  conflict_department_ids text[] NOT NULL DEFAULT '{}',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mediators_by_administration ON mediators USING gin (administration_ids);

-- One mediation per complaint: the unique constraint makes OpenMediation idempotent even for
-- concurrent calls (the loser of the race reads the winner's row).
CREATE TABLE mediations (
  mediation_id uuid PRIMARY KEY,
  complaint_id uuid NOT NULL UNIQUE,
  case_id uuid NOT NULL,
  administration_id text NOT NULL,
  kind smallint NOT NULL,
  category text NOT NULL DEFAULT '',
  commune_code text NOT NULL DEFAULT '',
  department_code text NOT NULL DEFAULT '',
  region_code text NOT NULL DEFAULT '',
  requested_by smallint NOT NULL,
  case_summary text NOT NULL,
  disputed_department_id text NOT NULL DEFAULT '',
  written_complaint_date date,
  state smallint NOT NULL,
  mediator_id uuid REFERENCES mediators,
  assignment_reason text NOT NULL DEFAULT '',
  -- Serialized doleances.mediation.v1.Admissibility, opaque to SQL; empty until decided.
  admissibility bytea NOT NULL DEFAULT '',
  request_time timestamptz NOT NULL,
  admissibility_due timestamptz NOT NULL,
  admissibility_stop timestamptz,
  saisine_notify_time timestamptz,
  outcome_due timestamptz,
  extension_days int NOT NULL DEFAULT 0,
  outcome smallint NOT NULL DEFAULT 0,
  agreement_terms text NOT NULL DEFAULT '',
  referral_body smallint NOT NULL DEFAULT 0,
  referral_body_name text NOT NULL DEFAULT '',
  referral_reference text NOT NULL DEFAULT '',
  withdrawn_by smallint NOT NULL DEFAULT 0,
  closing_summary text NOT NULL DEFAULT '',
  close_time timestamptz,
  outcome_reported boolean NOT NULL DEFAULT false,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL
);
CREATE INDEX mediations_open_by_mediator ON mediations (mediator_id) WHERE state <> 3;
CREATE INDEX mediations_by_administration ON mediations (administration_id, state);

-- Sessions. A mediator is never double-booked: two SCHEDULED sessions of one mediator may not
-- overlap. The service roles cannot CREATE EXTENSION btree_gist (no CREATE on the database), so
-- the mediator equality is expressed as the overlap of one-point int8ranges, which the built-in
-- range_ops gist class indexes; the database then refuses overlaps even for concurrent calls.
CREATE TABLE sessions (
  session_id uuid PRIMARY KEY,
  mediation_id uuid NOT NULL REFERENCES mediations,
  mediator_id uuid NOT NULL REFERENCES mediators,
  mediator_key bigint NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL CHECK (end_time > start_time),
  time_zone text NOT NULL,
  place_address text NOT NULL DEFAULT '',
  video_link text NOT NULL DEFAULT '',
  state smallint NOT NULL,
  motive text NOT NULL DEFAULT '',
  reschedule_count int NOT NULL DEFAULT 0,
  request_id text,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  UNIQUE (mediation_id, request_id),
  CONSTRAINT sessions_mediator_not_double_booked EXCLUDE USING gist (
    int8range(mediator_key, mediator_key, '[]') WITH &&,
    tstzrange(start_time, end_time, '[)') WITH &&) WHERE (state = 1)
);
CREATE INDEX sessions_by_mediation ON sessions (mediation_id, start_time);

CREATE TABLE session_participants (
  session_id uuid NOT NULL REFERENCES sessions,
  position int NOT NULL,
  party smallint NOT NULL,
  role smallint NOT NULL,
  attendance_mode smallint NOT NULL,
  principal_id text NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, position)
);

CREATE TABLE proposals (
  proposal_id uuid PRIMARY KEY,
  mediation_id uuid NOT NULL REFERENCES mediations,
  terms text NOT NULL,
  acceptance_deadline timestamptz NOT NULL,
  state smallint NOT NULL,
  create_time timestamptz NOT NULL
);
CREATE INDEX proposals_by_mediation ON proposals (mediation_id, create_time);

-- One answer per party and proposal, enforced by the key.
CREATE TABLE proposal_responses (
  proposal_id uuid NOT NULL REFERENCES proposals,
  party smallint NOT NULL,
  decision smallint NOT NULL,
  comment text NOT NULL DEFAULT '',
  respond_time timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, party)
);

-- Confidential and caucus notes: the mediator's only, never in events.
CREATE TABLE notes (
  note_id uuid PRIMARY KEY,
  mediation_id uuid NOT NULL REFERENCES mediations,
  visibility smallint NOT NULL,
  party smallint NOT NULL DEFAULT 0,
  text text NOT NULL,
  author_kind smallint NOT NULL,
  author_id text NOT NULL,
  create_time timestamptz NOT NULL
);
CREATE INDEX notes_by_mediation ON notes (mediation_id, create_time, note_id);
