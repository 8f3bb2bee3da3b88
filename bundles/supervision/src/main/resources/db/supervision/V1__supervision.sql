-- The supervision rules of a treatment node (就医地管理, issue 12): what they found on settlements, and the identity
-- checks (1101) that failed. The supervision bundle alone writes these tables.

-- One row per finding of a rule on a settlement: flagged (the settlement went through: outcome SETTLED, setl_id
-- set) or blocked (the settlement was refused: outcome REFUSED, no setl_id); reviewed by an administrator.
CREATE TABLE supervision_flag (
    flag_id         BIGINT          NOT NULL PRIMARY KEY,
    flagged_at      TIMESTAMP       NOT NULL,
    rule_name       VARCHAR(30)     NOT NULL,
    rule_mode       VARCHAR(6)      NOT NULL,
    outcome         VARCHAR(8)      NOT NULL,
    fixmedins_code  VARCHAR(30)     NOT NULL,
    mdtrt_id        VARCHAR(40)     NOT NULL,
    psn_no          VARCHAR(30)     NOT NULL,
    setl_id         VARCHAR(40),
    detail          VARCHAR(1000)   NOT NULL,
    review          VARCHAR(10)     NOT NULL,
    reviewed_at     TIMESTAMP,
    reviewed_by     VARCHAR(64),
    review_comment  VARCHAR(1000)
);
CREATE INDEX supervision_flag_time ON supervision_flag (flagged_at);
CREATE INDEX supervision_flag_visit ON supervision_flag (mdtrt_id);

-- A person information request (1101) whose name or ID number the insured record does not have.
CREATE TABLE identity_check_failure (
    failure_id      BIGINT          NOT NULL PRIMARY KEY,
    psn_no          VARCHAR(30)     NOT NULL,
    fixmedins_code  VARCHAR(30)     NOT NULL,
    checked_at      TIMESTAMP       NOT NULL,
    what            VARCHAR(300)    NOT NULL
);
CREATE INDEX identity_check_person ON identity_check_failure (psn_no, checked_at);
