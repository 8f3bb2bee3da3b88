-- The monthly clearing (清算, issue 12). The clearing bundle alone writes these tables.

-- At a province node: what it reported for each clearing, and the statement the hub gave it.
CREATE TABLE clearing_report (
    clearing_id   CHAR(8)         NOT NULL PRIMARY KEY,
    month         CHAR(7)         NOT NULL,
    reported_at   TIMESTAMP       NOT NULL,
    lines         BIGINT          NOT NULL,
    closed_at     TIMESTAMP,
    statement     VARCHAR(32000)
);

-- At a province node: every line it reported, once (side C: its claims as the treatment province, counterpart the
-- insured province; side A: its applications as the insured province, counterpart the treatment province), in the
-- latest clearing that took it: REPORTED, then CLEARED, or CARRIED to the next clearing (a case), or VOID (an
-- application taken back before it was ever claimed).
CREATE TABLE clearing_line (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    side         CHAR(1)      NOT NULL,
    counterpart  CHAR(6)      NOT NULL,
    setl_id      VARCHAR(40)  NOT NULL,
    movement     CHAR(1)      NOT NULL,
    month        CHAR(7)      NOT NULL,
    hifp         BIGINT       NOT NULL,
    cvlserv      BIGINT       NOT NULL,
    hifes        BIGINT       NOT NULL,
    hifmi        BIGINT       NOT NULL,
    hifob        BIGINT       NOT NULL,
    maf          BIGINT       NOT NULL,
    oth          BIGINT       NOT NULL,
    acct         BIGINT       NOT NULL,
    clearing_id  CHAR(8)      NOT NULL,
    state        VARCHAR(8)   NOT NULL,
    PRIMARY KEY (side, counterpart, setl_id, movement)
);
CREATE INDEX clearing_line_clearing ON clearing_line (clearing_id, seq);
CREATE INDEX clearing_line_state ON clearing_line (state, side);

-- At the hub: the runs, one per month, and each node's part in one.
CREATE TABLE hub_clearing_run (
    clearing_id        CHAR(8)      NOT NULL PRIMARY KEY,
    month              CHAR(7)      NOT NULL UNIQUE,
    state              VARCHAR(12)  NOT NULL,
    started_at         TIMESTAMP    NOT NULL,
    started_by         VARCHAR(64)  NOT NULL,
    updated_at         TIMESTAMP    NOT NULL,
    claim_lines        BIGINT       NOT NULL,
    application_lines  BIGINT       NOT NULL,
    cleared_lines      BIGINT       NOT NULL,
    cases              BIGINT       NOT NULL,
    net_sum            BIGINT       NOT NULL
);

CREATE TABLE hub_clearing_source (
    clearing_id        CHAR(8)       NOT NULL,
    admdvs             CHAR(6)       NOT NULL,
    report             VARCHAR(8)    NOT NULL,
    cursor_seq         BIGINT        NOT NULL,
    claim_lines        BIGINT        NOT NULL,
    application_lines  BIGINT        NOT NULL,
    cases_sent         BIGINT        NOT NULL,
    delivered_at       TIMESTAMP,
    last_error         VARCHAR(500)  NOT NULL,
    PRIMARY KEY (clearing_id, admdvs)
);

-- At the hub: the lines the nodes reported (side C from the treatment node, side A from the insured node).
CREATE TABLE hub_clearing_line (
    clearing_id  CHAR(8)      NOT NULL,
    side         CHAR(1)      NOT NULL,
    treatment    CHAR(6)      NOT NULL,
    setl_id      VARCHAR(40)  NOT NULL,
    movement     CHAR(1)      NOT NULL,
    insured      CHAR(6)      NOT NULL,
    month        CHAR(7)      NOT NULL,
    hifp         BIGINT       NOT NULL,
    cvlserv      BIGINT       NOT NULL,
    hifes        BIGINT       NOT NULL,
    hifmi        BIGINT       NOT NULL,
    hifob        BIGINT       NOT NULL,
    maf          BIGINT       NOT NULL,
    oth          BIGINT       NOT NULL,
    acct         BIGINT       NOT NULL,
    PRIMARY KEY (clearing_id, side, treatment, setl_id, movement)
);

-- At the hub: what was cleared between two provinces in a run (the insured province pays the treatment province).
CREATE TABLE hub_clearing_position (
    clearing_id  CHAR(8)  NOT NULL,
    treatment    CHAR(6)  NOT NULL,
    insured      CHAR(6)  NOT NULL,
    lines        BIGINT   NOT NULL,
    hifp         BIGINT   NOT NULL,
    cvlserv      BIGINT   NOT NULL,
    hifes        BIGINT   NOT NULL,
    hifmi        BIGINT   NOT NULL,
    hifob        BIGINT   NOT NULL,
    maf          BIGINT   NOT NULL,
    oth          BIGINT   NOT NULL,
    acct         BIGINT   NOT NULL,
    PRIMARY KEY (clearing_id, treatment, insured)
);

-- At the hub: the lines a run could not clear, carried to the next month (amounts as 8 fen values, hifp first).
CREATE TABLE hub_clearing_case (
    clearing_id  CHAR(8)       NOT NULL,
    treatment    CHAR(6)       NOT NULL,
    setl_id      VARCHAR(40)   NOT NULL,
    movement     CHAR(1)       NOT NULL,
    insured      CHAR(6)       NOT NULL,
    month        CHAR(7)       NOT NULL,
    kind         VARCHAR(16)   NOT NULL,
    claimed      VARCHAR(200),
    applied      VARCHAR(200),
    first_seen   CHAR(8)       NOT NULL,
    PRIMARY KEY (clearing_id, treatment, setl_id, movement)
);
