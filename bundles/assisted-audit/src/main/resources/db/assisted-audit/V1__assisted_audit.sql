-- Assisted audits of large amounts (费用协查, issue 12): a case, as both the insured node (which opened it) and the
-- treatment node (which answers it) hold it. The assisted-audit bundle alone writes this table.
CREATE TABLE assisted_audit (
    case_id         VARCHAR(40)     NOT NULL PRIMARY KEY,
    setl_id         VARCHAR(40)     NOT NULL,
    mdtrt_id        VARCHAR(40)     NOT NULL,
    insured         CHAR(6)         NOT NULL,
    treatment       CHAR(6)         NOT NULL,
    fixmedins_code  VARCHAR(30)     NOT NULL,
    medfee_fen      BIGINT          NOT NULL,
    question        VARCHAR(2000)   NOT NULL,
    opened_at       TIMESTAMP       NOT NULL,
    opened_by       VARCHAR(64)     NOT NULL,
    deadline        DATE            NOT NULL,
    state           VARCHAR(10)     NOT NULL,
    answered_at     TIMESTAMP,
    answered_by     VARCHAR(64),
    answer_comment  VARCHAR(2000),
    bill            VARCHAR(32000),
    bill_lines      INT             NOT NULL,
    bill_note       VARCHAR(300),
    CONSTRAINT assisted_audit_once UNIQUE (insured, setl_id)
);
