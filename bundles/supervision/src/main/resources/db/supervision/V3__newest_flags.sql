-- The newest flags first (medsettle:supervision-flags, its filters by rule, hospital, person, review or days) read
-- through an index in that order, only as far as the list goes, where the whole table was read and sorted: the table
-- keeps every flag ever raised (issue 15). It replaces the index on flagged_at alone, which served the days' range
-- only: one index as before for each flag raised.
DROP INDEX supervision_flag_time;
CREATE INDEX supervision_flag_newest ON supervision_flag (flagged_at DESC, flag_id DESC);
