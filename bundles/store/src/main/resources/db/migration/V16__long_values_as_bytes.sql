-- The treatment node (the treatment bundle alone writes these tables; the lines are read through
-- org.medsettle.api.his.VisitFees by the supervision rules and assisted audits too, hence here, in the base schema).
-- Issue 15 (session 26): the two long values every stay writes are kept as bytes, not text. Derby writes a text value
-- one character at a time (SQLChar.writeUTF, a synchronized call per character: 7.6 % of a treatment node's CPU
-- samples while stays are prepared), a value of bytes in one copy. ${binary(n)} is Derby's VARCHAR(n) FOR BIT DATA and
-- PostgreSQL's BYTEA (the store's migrator expands it).
-- The kept answer to a msgid (gzip of the answer's bytes, for a repeat): in response_zip. Rows written before keep
-- it in response_gz (base64 of the same gzip) with response_zip NULL; rows written since have response_gz ''.
ALTER TABLE his_message ADD COLUMN response_zip ${binary(32000)};
-- An upload's lines (the value org.medsettle.api.his.VisitFees describes, in UTF-8, at most 32,000 bytes a row): in
-- lines_utf8. Rows written before keep them in lines with lines_utf8 NULL; rows written since have lines ''.
ALTER TABLE fee_upload ADD COLUMN lines_utf8 ${binary(32000)};
