-- How many times a case went to a hierarchical authority (Case.escalation_level).
ALTER TABLE cases ADD COLUMN escalation_level int NOT NULL DEFAULT 0;
