-- Organisation and routing configuration per administration.
CREATE TABLE departments (
  department_id uuid PRIMARY KEY,
  administration_id text NOT NULL,
  name text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  UNIQUE (administration_id, name)
);

CREATE TABLE queues (
  queue_id uuid PRIMARY KEY,
  administration_id text NOT NULL,
  department_id uuid NOT NULL REFERENCES departments,
  name text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  UNIQUE (administration_id, name)
);

-- Where complaints go when no rule matches.
CREATE TABLE default_queues (
  administration_id text PRIMARY KEY,
  queue_id uuid NOT NULL REFERENCES queues
);

-- Routing rules; `rule` is the serialized doleances.workflow.v1.RoutingRule (criteria and
-- target), the other columns what selection and uniqueness need.
CREATE TABLE routing_rules (
  routing_rule_id uuid PRIMARY KEY,
  administration_id text NOT NULL,
  precedence int NOT NULL,
  enabled boolean NOT NULL,
  rule bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX routing_rules_enabled_precedence
  ON routing_rules (administration_id, precedence) WHERE enabled;

-- One case per complaint, created when workflow routes its ComplaintReceived.
CREATE TABLE cases (
  case_id uuid PRIMARY KEY,
  complaint_id uuid NOT NULL UNIQUE,
  administration_id text NOT NULL,
  kind smallint NOT NULL,
  category text NOT NULL DEFAULT '',
  commune_code text NOT NULL DEFAULT '',
  department_code text NOT NULL DEFAULT '',
  priority smallint NOT NULL,
  state smallint NOT NULL,
  queue_id uuid REFERENCES queues,
  routing_rule_id uuid,
  assignee_id text,
  receive_time timestamptz NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX cases_by_queue ON cases (queue_id, state);

-- Every transition of a case, in order; public messages and internal notes kept apart.
CREATE TABLE case_history (
  case_id uuid NOT NULL REFERENCES cases,
  version bigint NOT NULL,
  from_state smallint NOT NULL,
  to_state smallint NOT NULL,
  actor_kind smallint NOT NULL,
  actor_id text NOT NULL DEFAULT '',
  motive_code text NOT NULL DEFAULT '',
  public_message text NOT NULL DEFAULT '',
  internal_note text NOT NULL DEFAULT '',
  occur_time timestamptz NOT NULL,
  PRIMARY KEY (case_id, version)
);
