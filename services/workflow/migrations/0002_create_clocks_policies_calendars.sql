-- Deadlines (DESIGN.md §5): each administration's calendar and policies, each case's clocks.

-- Aggregate version of the case's events (events.proto: Event.aggregate_version). Kept apart
-- from `version`, the optimistic-lock version callers pass as expected_version, so that a timer
-- firing on a case does not make an agent's next write stale.
ALTER TABLE cases ADD COLUMN event_version bigint NOT NULL DEFAULT 0;
-- Earliest due time among the case's running clocks: ListCases orders queues by it.
ALTER TABLE cases ADD COLUMN next_due_time timestamptz;

-- `calendar` is the serialized doleances.workflow.v1.Calendar.
CREATE TABLE calendars (
  administration_id text PRIMARY KEY,
  calendar bytea NOT NULL,
  version bigint NOT NULL,
  update_time timestamptz NOT NULL
);

-- `policy` is the serialized doleances.workflow.v1.DeadlinePolicy; the other columns are its
-- match, unique per administration.
CREATE TABLE deadline_policies (
  policy_id uuid PRIMARY KEY,
  administration_id text NOT NULL,
  clock smallint NOT NULL,
  kind smallint NOT NULL,
  category text NOT NULL,
  priority smallint NOT NULL,
  policy bytea NOT NULL,
  version bigint NOT NULL,
  update_time timestamptz NOT NULL,
  UNIQUE (administration_id, clock, kind, category, priority)
);

-- The clocks of a case. `spec` is the serialized doleances.type.v1.DeadlineSpec applied.
-- due_time and warning_time are derived (start, pauses, spec, calendar) and stored for the
-- timers; next_fire_time is the earliest timer still to fire, NULL when none.
CREATE TABLE case_clocks (
  case_id uuid NOT NULL REFERENCES cases,
  clock smallint NOT NULL,
  state smallint NOT NULL,
  policy_id text NOT NULL,
  spec bytea NOT NULL,
  pause_while_awaiting_citizen boolean NOT NULL,
  warning_percent smallint NOT NULL,
  escalate_on_breach boolean NOT NULL,
  start_time timestamptz NOT NULL,
  start_reason text NOT NULL,
  due_time timestamptz,
  warning_time timestamptz,
  stop_time timestamptz,
  warning_fired boolean NOT NULL,
  due_fired boolean NOT NULL,
  next_fire_time timestamptz,
  PRIMARY KEY (case_id, clock)
);
CREATE INDEX case_clocks_timers ON case_clocks (next_fire_time)
  WHERE next_fire_time IS NOT NULL;

-- Every pause of a clock, in order.
CREATE TABLE clock_pauses (
  case_id uuid NOT NULL,
  clock smallint NOT NULL,
  ordinal int NOT NULL,
  pause_time timestamptz NOT NULL,
  resume_time timestamptz,
  reason smallint NOT NULL,
  resume_mode smallint NOT NULL,
  PRIMARY KEY (case_id, clock, ordinal),
  FOREIGN KEY (case_id, clock) REFERENCES case_clocks ON DELETE CASCADE
);
