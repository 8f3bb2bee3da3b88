-- The outbox newest first (medsettle:outbox) without reading and sorting every notice ever sent: the outbox keeps its
-- sent notices, a row per settlement, and Derby scans an ascending index only forwards (issue 15).
CREATE INDEX link_outbox_newest ON link_outbox (seq DESC);
