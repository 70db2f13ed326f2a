-- The public text that goes with a status change (an administration's question or response),
-- read from workflow's public history when the change is mirrored, so that the citizen's view
-- shows it.
ALTER TABLE status_changes ADD COLUMN message text NOT NULL DEFAULT '';
