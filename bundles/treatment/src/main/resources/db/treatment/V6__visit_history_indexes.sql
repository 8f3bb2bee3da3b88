-- The supervision rules read, at every pre-settlement and settlement, the person's other visits that can meet the
-- settled one: not discharged, discharged at or after its admission, or settled with fee lines dated within its
-- lines' span. Through visit_person (psn_no) every visit the person ever had at the node was read and tested, a
-- chronic patient's hundreds; these two indexes give each of the three a range of its own, and the other end of it
-- (admitted by the settled stay's end; fee lines from before its last) is tested on the index entry before the visit
-- is read (docs/performance.md, session 31). They take visit_person's place (the only statement reading visits by
-- person).
CREATE INDEX visit_person_end ON visit (psn_no, endtime, begntime);
CREATE INDEX visit_person_fees ON visit (psn_no, fee_last, fee_first);
DROP INDEX visit_person;
