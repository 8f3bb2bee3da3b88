-- The flags waiting for review, counted by every health check (medsettle:health, the load balancer's probe), read
-- without the flags reviewed before: the table keeps every flag ever raised (issue 15).
CREATE INDEX supervision_flag_open ON supervision_flag (review, flagged_at);
