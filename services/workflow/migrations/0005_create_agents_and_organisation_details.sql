-- Organisation as organisation.proto describes it, routing rule names, and agents (new).
-- ADD COLUMN IF NOT EXISTS: another branch may add some of the same department columns.
ALTER TABLE departments
  ADD COLUMN IF NOT EXISTS parent_department_id uuid REFERENCES departments,
  ADD COLUMN IF NOT EXISTS escalation_queue_id uuid REFERENCES queues,
  ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true,
  ADD COLUMN IF NOT EXISTS create_time timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN IF NOT EXISTS update_time timestamptz NOT NULL DEFAULT now();

ALTER TABLE queues
  ADD COLUMN IF NOT EXISTS description text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS auto_assign boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true,
  ADD COLUMN IF NOT EXISTS create_time timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN IF NOT EXISTS update_time timestamptz NOT NULL DEFAULT now();
-- The contract makes a queue's name unique in its department, not in the administration.
ALTER TABLE queues DROP CONSTRAINT IF EXISTS queues_administration_id_name_key;
ALTER TABLE queues ADD CONSTRAINT queues_department_id_name_key UNIQUE (department_id, name);

ALTER TABLE default_queues
  ADD COLUMN IF NOT EXISTS update_time timestamptz NOT NULL DEFAULT now();

-- The rule's name, copied out of `rule` so that enabled rules' names are unique, as precedences
-- are. Rules stored before this migration have '' and take part once updated.
ALTER TABLE routing_rules ADD COLUMN name text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX routing_rules_enabled_name
  ON routing_rules (administration_id, name) WHERE enabled AND name <> '';

-- Agents and supervisors; `agent` is the serialized doleances.workflow.v1.Agent (qualifications,
-- territories, capacity, absences), the other columns what lookups, filters and order need.
CREATE TABLE agents (
  agent_id uuid PRIMARY KEY,
  administration_id text NOT NULL,
  principal_id text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role smallint NOT NULL,
  active boolean NOT NULL DEFAULT true,
  department_ids uuid[] NOT NULL,
  queue_ids uuid[] NOT NULL DEFAULT '{}',
  agent bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX agents_by_administration ON agents (administration_id, display_name);

-- An agent's load (open cases assigned to them).
CREATE INDEX cases_by_assignee ON cases (assignee_id) WHERE assignee_id IS NOT NULL;
-- ClaimNextCase: a queue's unassigned ROUTED (2) cases, most urgent first.
CREATE INDEX cases_claimable ON cases (queue_id, next_due_time, priority DESC, receive_time)
  WHERE state = 2 AND assignee_id IS NULL;
