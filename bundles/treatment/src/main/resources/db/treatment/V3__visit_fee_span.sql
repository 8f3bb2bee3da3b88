-- The span of a visit's fee lines (first and last fee_ocur_time of any line ever uploaded to it, cancelled or not,
-- reversing lines included): widened by every upload (2301/2204) in its transaction, never narrowed. The supervision
-- rules read only the lines of the person's other visits whose span meets the settled visit's lines (the repeated
-- fee item rule), instead of every line of every visit of the person. Visits without lines keep NULL.
ALTER TABLE visit ADD COLUMN fee_first TIMESTAMP;
ALTER TABLE visit ADD COLUMN fee_last TIMESTAMP;
UPDATE visit SET fee_first = (SELECT MIN(f.fee_ocur_time) FROM fee_line f WHERE f.mdtrt_id = visit.mdtrt_id),
                 fee_last = (SELECT MAX(f.fee_ocur_time) FROM fee_line f WHERE f.mdtrt_id = visit.mdtrt_id);
