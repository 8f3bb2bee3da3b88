-- Prepayments (预付金, issue 12): what an insured province paid a treatment province in advance, known to both
-- nodes under the same id; and where each pair stands against the warning and emergency thresholds.
CREATE TABLE prepayment (
    prepayment_id  VARCHAR(40)   NOT NULL PRIMARY KEY,
    insured        CHAR(6)       NOT NULL,
    treatment      CHAR(6)       NOT NULL,
    pay_year       INT           NOT NULL,
    amount_fen     BIGINT        NOT NULL,
    recorded_at    TIMESTAMP     NOT NULL,
    recorded_by    VARCHAR(64)   NOT NULL,
    channel        VARCHAR(16)   NOT NULL,
    reason         VARCHAR(500)  NOT NULL,
    CONSTRAINT prepayment_positive CHECK (amount_fen > 0)
);
CREATE INDEX prepayment_pair ON prepayment (insured, treatment, pay_year);

CREATE TABLE prepayment_alert (
    insured          CHAR(6)      NOT NULL,
    treatment        CHAR(6)      NOT NULL,
    alert_level      VARCHAR(10)  NOT NULL,
    usage_permille   INT          NOT NULL,
    outstanding_fen  BIGINT       NOT NULL,
    prepaid_fen      BIGINT       NOT NULL,
    top_up_fen       BIGINT       NOT NULL,
    since            TIMESTAMP    NOT NULL,
    PRIMARY KEY (insured, treatment)
);
