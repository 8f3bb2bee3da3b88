-- What a settlement needs to know of a visit's fee lines besides the lines themselves:
-- fee_version: counts the fee-detail messages that changed the visit's lines (uploads 2301/2204, cancellations 2302,
--   a 2601 taking either back), raised in the message's own transaction where it takes the visit's row. A settlement
--   reads it with the visit before the bill and commits only if it is unchanged: a bill changed while the insured
--   province applied the settlement is not settled on its old lines.
-- fee_rows: 1 once one of the visit's lines is a row of fee_line (cancelled, restored or uploaded again after a
--   cancellation; every line stored before the store schema's V15): a visit whose lines are all in their uploads'
--   values (fee_upload) is billed without looking at fee_line.
ALTER TABLE visit ADD COLUMN fee_version INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE visit ADD COLUMN fee_rows SMALLINT DEFAULT 0 NOT NULL;
UPDATE visit SET fee_rows = 1 WHERE mdtrt_id IN (SELECT f.mdtrt_id FROM fee_line f);
