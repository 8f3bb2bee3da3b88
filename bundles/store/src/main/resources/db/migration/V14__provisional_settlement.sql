-- Degraded settlement (issue 14): what a treatment node last knew of a person insured elsewhere, and the settlements
-- it made from that while the insured province was down. The treatment bundle alone writes both tables.

-- The person's coverage as the insured province last answered it (at admission or registration, a pre-settlement, a
-- settlement), with what settlements applied since added: one row per person. The ID number is not kept.
CREATE TABLE coverage_snapshot (
    insuplc_admdvs     CHAR(6)        NOT NULL,
    psn_no             VARCHAR(30)    NOT NULL PRIMARY KEY,
    psn_name           VARCHAR(100)   NOT NULL,
    gend               VARCHAR(2)     NOT NULL,
    brdy               DATE,
    insutype           CHAR(3)        NOT NULL,
    psn_type           CHAR(4)        NOT NULL,
    assistance         VARCHAR(4)     NOT NULL,
    emp_name           VARCHAR(200)   NOT NULL,
    filing_id          VARCHAR(40)    NOT NULL,
    filing_category    VARCHAR(20)    NOT NULL,
    mdtrtarea_admvs    CHAR(6)        NOT NULL,
    admission_date     DATE           NOT NULL,
    setl_year          INT            NOT NULL,
    acc_version        BIGINT         NOT NULL,
    accumulators       VARCHAR(8000)  NOT NULL,
    read_at            TIMESTAMP      NOT NULL
);

-- A settlement made provisionally (暂记结算): committed here and answered to the hospital while the insured province
-- was down, queued to be applied there in order (seq) when it is back. QUEUED -> APPLYING (the recomputation written
-- before it is sent) -> APPLIED (the insured province computed the same) or CASE (it computed otherwise, or refused:
-- a review case for the two agencies, closed at the console).
CREATE TABLE provisional_settlement (
    setl_id            VARCHAR(40)    NOT NULL PRIMARY KEY,
    seq                BIGINT         NOT NULL,
    insuplc_admdvs     CHAR(6)        NOT NULL,
    psn_no             VARCHAR(30)    NOT NULL,
    mdtrt_id           VARCHAR(40)    NOT NULL,
    setl_year          INT            NOT NULL,
    fund_pay_sumamt    DECIMAL(16,2)  NOT NULL,
    reason             VARCHAR(300)   NOT NULL,
    basis_read_at      TIMESTAMP      NOT NULL,
    state              VARCHAR(12)    NOT NULL,
    queued_at          TIMESTAMP      NOT NULL,
    attempts           INT            NOT NULL,
    last_problem       VARCHAR(500),
    applied_version    BIGINT,
    applied_change     VARCHAR(8000),
    recomputed         VARCHAR(4000),
    applied_at         TIMESTAMP,
    case_reason        VARCHAR(1000),
    case_closed_at     TIMESTAMP,
    case_closed_by     VARCHAR(64),
    case_note          VARCHAR(500)
);
CREATE UNIQUE INDEX provisional_settlement_seq ON provisional_settlement (seq);
CREATE INDEX provisional_settlement_state ON provisional_settlement (state, insuplc_admdvs);

-- At the insured node: the review cases treatment nodes opened on provisional settlements of this province's insured
-- (notice PROVISIONAL_CASE), and their closing there (PROVISIONAL_CASE_CLOSED): the insured agency's side of the case.
-- The insured bundle alone writes this table.
CREATE TABLE insured_review_case (
    setl_id            VARCHAR(40)    NOT NULL PRIMARY KEY,
    mdtrtarea_admvs    CHAR(6)        NOT NULL,
    psn_no             VARCHAR(30)    NOT NULL,
    mdtrt_id           VARCHAR(40)    NOT NULL,
    reason             VARCHAR(1000)  NOT NULL,
    received_at        TIMESTAMP      NOT NULL,
    closed_at          TIMESTAMP,
    closed_by          VARCHAR(64),
    note               VARCHAR(500)
);
