-- The treatment node (the treatment bundle alone writes it): an upload's fee lines (2301/2204) as one row instead of
-- one row per line (issue 15, step 3): the visit, the upload's msgid, the serials of its lines (separated by spaces:
-- what a later upload reads to find serials used before) and the lines as one value (the format is documented in
-- org.medsettle.api.his.VisitFees). An upload whose lines do not fit one value of 32,000 characters takes as many
-- rows as it needs (part 0, 1, ...).
-- A line whose state changes after its upload (cancelled by 2302 or by a 2601 of its upload, restored, uploaded again
-- after a cancellation) becomes a row of fee_line, which is then the line; the lines stored before this version stay
-- rows of fee_line and are read as before.
CREATE TABLE fee_upload (
    mdtrt_id    VARCHAR(40)     NOT NULL,
    msgid       VARCHAR(40)     NOT NULL,
    part        SMALLINT        NOT NULL,
    line_count  SMALLINT        NOT NULL,
    serials     VARCHAR(32000)  NOT NULL,
    lines       VARCHAR(32000)  NOT NULL,
    PRIMARY KEY (mdtrt_id, msgid, part)
);
