-- The newest top-ups first (medsettle:topup-list, all or those paid, of a month or not) read through an index in that
-- order, only as far as the list goes, where the whole table was read and sorted, each row's state worked out on the
-- way (issue 15). Written once per top-up and at its payment, not per settlement.
CREATE INDEX insured_top_up_newest ON insured_top_up (setl_time DESC, setl_id);
