-- Several cases per complaint: TransferCase opens a linked case for the same complaint in the
-- competent administration, and an appeal (a complaint of its own naming an earlier one) opens
-- a case linked to the earlier complaint's case. Each complaint is still routed once.
ALTER TABLE cases ADD COLUMN parent_case_id uuid REFERENCES cases;
-- Set on a case opened by TransferCase: when it was transferred in (its clocks start then, the
-- statutory one excepted: CRPA L114-2 runs it from the first receipt).
ALTER TABLE cases ADD COLUMN transfer_time timestamptz;
ALTER TABLE cases DROP CONSTRAINT cases_complaint_id_key;
CREATE UNIQUE INDEX cases_routed_once ON cases (complaint_id) WHERE transfer_time IS NULL;
CREATE UNIQUE INDEX cases_transferred_once ON cases (parent_case_id) WHERE transfer_time IS NOT NULL;
CREATE INDEX cases_by_complaint ON cases (complaint_id);
-- The channel the complaint came through: KPI histograms are labelled by it (DESIGN.md §6).
ALTER TABLE cases ADD COLUMN channel smallint NOT NULL DEFAULT 0;
CREATE INDEX cases_by_parent ON cases (parent_case_id) WHERE parent_case_id IS NOT NULL;

-- History entries get their own numbering so that notes, which change no state, do not bump the
-- case version (and make every other caller's expected_version stale); `version` stays the case
-- version after the entry. Entries written before this migration have entry_no = version and
-- entry_type 0 (their type is derived as before: ROUTED for the first, TRANSITIONED after).
ALTER TABLE case_history ADD COLUMN entry_no bigint;
UPDATE case_history SET entry_no = version;
ALTER TABLE case_history ALTER COLUMN entry_no SET NOT NULL;
ALTER TABLE case_history DROP CONSTRAINT case_history_pkey;
ALTER TABLE case_history ADD PRIMARY KEY (case_id, entry_no);
ALTER TABLE case_history ADD COLUMN entry_type smallint NOT NULL DEFAULT 0;
-- Serialized doleances.workflow.v1.CaseHistoryEntry holding only the attachments, if any.
ALTER TABLE case_history ADD COLUMN attachments bytea;
-- The other case of a TRANSFERRED entry (the new one), or the mediation, response... it names.
ALTER TABLE case_history ADD COLUMN related_id text NOT NULL DEFAULT '';
