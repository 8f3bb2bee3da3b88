-- Indexes for the look-ups the node makes on every request, found by profiling under load (docs/performance.md):
-- a settlement by the msgid that made it (2304 looks for its own PENDING settlement first), and what 2601 undoes
-- by msgid. Without them each of these scanned the whole table, slower with every day of data.
CREATE INDEX settlement_msgid ON settlement (msgid);
CREATE INDEX fee_line_msgid ON fee_line (msgid);
CREATE INDEX fee_line_cancel_msgid ON fee_line (cancel_msgid);
CREATE INDEX visit_state_msgid ON visit (state_msgid);
-- the national link sends new or changed insured persons to the hub's index by updated_at watermark
CREATE INDEX person_updated ON person (updated_at);
