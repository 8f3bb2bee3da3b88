-- A settlement first asks whether its person has provisional settlements (暂记结算) not yet applied at the insured
-- province (then it is not settled in one exchange from the coverage last known, issue 15): by person, not by a scan
-- of every provisional settlement ever made.
CREATE INDEX provisional_settlement_person ON provisional_settlement (psn_no, setl_year);
