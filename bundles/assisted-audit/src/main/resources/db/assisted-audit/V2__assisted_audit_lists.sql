-- The cases a list shows, newest first, and the open ones every health check (medsettle:health, the load balancer's
-- probe) counts, read without every case ever opened: the table keeps them all, each with its bill (issue 15).
CREATE INDEX assisted_audit_newest ON assisted_audit (opened_at DESC);
CREATE INDEX assisted_audit_open ON assisted_audit (state, opened_at DESC);
