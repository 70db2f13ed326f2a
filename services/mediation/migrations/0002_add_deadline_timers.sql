-- Deadline timers of the mediation clocks (MEDIATION_ADMISSIBILITY, MEDIATION_OUTCOME and the
-- PROPOSAL_ACCEPTANCE of open proposals). They live on the mediation that owns them, so that the
-- one row lock a timer pass takes (FOR UPDATE SKIP LOCKED) also orders it with every RPC that
-- changes the mediation. Each *_fired flag says an event was appended (DeadlineWarning,
-- DeadlineBreached, ClockStopped EXPIRED); it is set in the transaction that appends it, so a
-- timer fires once whatever the number of replicas and restarts. next_fire_time is the earliest
-- timer still to fire, NULL when none.
ALTER TABLE mediations
  ADD COLUMN admissibility_warning_fired boolean NOT NULL DEFAULT false,
  ADD COLUMN admissibility_breach_fired boolean NOT NULL DEFAULT false,
  ADD COLUMN outcome_warning_fired boolean NOT NULL DEFAULT false,
  ADD COLUMN outcome_breach_fired boolean NOT NULL DEFAULT false,
  ADD COLUMN next_fire_time timestamptz;

ALTER TABLE proposals ADD COLUMN warning_fired boolean NOT NULL DEFAULT false;

-- Mediations open before this migration: due at once, so the first timer pass works out what
-- is really due (firing what the read-time states already showed) and re-arms the rest.
UPDATE mediations SET next_fire_time = request_time WHERE state <> 3;

CREATE INDEX mediations_timers ON mediations (next_fire_time) WHERE next_fire_time IS NOT NULL;
