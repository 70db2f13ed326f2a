-- Standard responses: every version of a template is a row (responses record the version they
-- rendered, and earlier versions stay readable); `current` marks the latest. `template` is the
-- serialized doleances.workflow.v1.ResponseTemplate of that version.
CREATE TABLE response_templates (
  template_id uuid NOT NULL,
  version bigint NOT NULL,
  administration_id text NOT NULL,
  name text NOT NULL,
  state smallint NOT NULL,
  current boolean NOT NULL,
  template bytea NOT NULL,
  PRIMARY KEY (template_id, version)
);
-- Names are unique among the active templates of an administration.
CREATE UNIQUE INDEX response_templates_active_name
  ON response_templates (administration_id, name) WHERE current AND state = 1;
CREATE INDEX response_templates_current
  ON response_templates (administration_id) WHERE current;

-- Responses sent to citizens; the text is also the public message of the case history entry
-- `history_version` (what intake shows).
CREATE TABLE case_responses (
  response_id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases,
  template_id uuid,
  template_version bigint,
  rendered_text text NOT NULL,
  attachments bytea NOT NULL,
  history_version bigint NOT NULL,
  create_time timestamptz NOT NULL
);
CREATE INDEX case_responses_by_case ON case_responses (case_id);

ALTER TABLE cases ADD COLUMN last_response_id uuid;
