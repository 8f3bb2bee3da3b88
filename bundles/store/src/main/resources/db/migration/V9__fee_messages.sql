-- Which visit each fee-detail message changed (2301/2204 uploads, 2302 cancellations, a 2601 taking an upload
-- back): what a 2601 looks up. It replaces the fee_line indexes on msgid and cancel_msgid, which every uploaded
-- line paid for: the insert of an upload's lines with their indexes was 58 % of the node's CPU in uploads
-- (docs/performance.md). A 2601 now reads the lines of the visits named here by the primary key.
CREATE TABLE fee_message (
    msgid     VARCHAR(40)  NOT NULL,
    mdtrt_id  VARCHAR(40)  NOT NULL,
    PRIMARY KEY (msgid, mdtrt_id)
);
INSERT INTO fee_message (msgid, mdtrt_id)
    SELECT msgid, mdtrt_id FROM fee_line
    UNION
    SELECT cancel_msgid, mdtrt_id FROM fee_line WHERE cancel_msgid IS NOT NULL;
DROP INDEX fee_line_msgid;
DROP INDEX fee_line_cancel_msgid;
