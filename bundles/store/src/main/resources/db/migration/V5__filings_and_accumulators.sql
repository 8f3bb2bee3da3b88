-- The insured place (参保地): filings (备案), never deleted, with their full history.
CREATE TABLE filing (
    filing_id           VARCHAR(32)   NOT NULL PRIMARY KEY,
    psn_no              VARCHAR(30)   NOT NULL,
    category            VARCHAR(24)   NOT NULL,
    treatment_admdvs    CHAR(6)       NOT NULL,
    valid_from          DATE          NOT NULL,
    valid_to            DATE,
    evidence            VARCHAR(500)  NOT NULL,
    receiving_hospital  VARCHAR(30)   NOT NULL,
    state               VARCHAR(12)   NOT NULL,
    superseded_by       VARCHAR(32),
    created_at          TIMESTAMP     NOT NULL,
    updated_at          TIMESTAMP     NOT NULL
);
CREATE INDEX filing_person ON filing (psn_no, treatment_admdvs, state);

CREATE TABLE filing_change (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id    VARCHAR(32)   NOT NULL,
    changed_at   TIMESTAMP     NOT NULL,
    action       VARCHAR(16)   NOT NULL,
    operator     VARCHAR(64)   NOT NULL,
    channel      VARCHAR(16)   NOT NULL,
    reason       VARCHAR(500)  NOT NULL,
    state_after  VARCHAR(12)   NOT NULL
);
CREATE INDEX filing_change_filing ON filing_change (filing_id, id);

-- Every change to a person's accumulators or balance moves the person's version by one (versioned updates).
ALTER TABLE person ADD COLUMN acc_version BIGINT NOT NULL DEFAULT 0;

-- A person's accumulators for one settlement year (a compact JSON of pools and layers).
CREATE TABLE accumulator (
    psn_no      VARCHAR(30)    NOT NULL,
    setl_year   INT            NOT NULL,
    data        VARCHAR(4000)  NOT NULL,
    updated_at  TIMESTAMP      NOT NULL,
    PRIMARY KEY (psn_no, setl_year)
);

-- Settlements made for this province's insured persons, wherever they were treated; applied once per setl_id.
CREATE TABLE insured_settlement (
    setl_id          VARCHAR(40)    NOT NULL PRIMARY KEY,
    psn_no           VARCHAR(30)    NOT NULL,
    mdtrt_id         VARCHAR(40)    NOT NULL,
    mdtrtarea_admvs  CHAR(6)        NOT NULL,
    fixmedins_code   VARCHAR(30)    NOT NULL,
    med_type         CHAR(2)        NOT NULL,
    setl_time        TIMESTAMP      NOT NULL,
    setl_year        INT            NOT NULL,
    state            VARCHAR(12)    NOT NULL,
    change_data      VARCHAR(4000)  NOT NULL,
    medfee_sumamt    DECIMAL(16,2)  NOT NULL,
    fund_pay_sumamt  DECIMAL(16,2)  NOT NULL,
    hifp_pay         DECIMAL(16,2)  NOT NULL,
    hifmi_pay        DECIMAL(16,2)  NOT NULL,
    hifob_pay        DECIMAL(16,2)  NOT NULL,
    maf_pay          DECIMAL(16,2)  NOT NULL,
    acct_pay         DECIMAL(16,2)  NOT NULL,
    psn_cash_pay     DECIMAL(16,2)  NOT NULL,
    undo_id          VARCHAR(40),
    applied_at       TIMESTAMP      NOT NULL,
    confirmed_at     TIMESTAMP,
    undone_at        TIMESTAMP
);
CREATE INDEX insured_settlement_person ON insured_settlement (psn_no, setl_year);
