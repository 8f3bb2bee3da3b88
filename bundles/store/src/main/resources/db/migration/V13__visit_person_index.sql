-- The supervision rules (issue 12) read a person's other visits at every settlement: the same person in hospital in
-- two places at once, the same fee item settled twice. Without this index each settlement scanned every visit.
CREATE INDEX visit_person ON visit (psn_no);
