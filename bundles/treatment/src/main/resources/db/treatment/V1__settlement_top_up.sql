-- The top-up of the treatment difference (待遇补差, issue 14) a settlement carries: decided when the settlement is
-- computed (the insured province's policy pays one and manual reimbursement at home under its own catalogue would pay
-- more from the funds), written with the settlement (PENDING, or committed when made provisionally), told to the
-- hospital and sent to the insured province with the settlement's commit. The treatment bundle alone writes it.
CREATE TABLE settlement_top_up (
    setl_id           VARCHAR(40)    NOT NULL PRIMARY KEY,
    insuplc_admdvs    CHAR(6)        NOT NULL,
    top_up_amt        DECIMAL(14, 2) NOT NULL,
    direct_fund_pay   DECIMAL(14, 2) NOT NULL,
    manual_fund_pay   DECIMAL(14, 2) NOT NULL,
    policy_version    VARCHAR(40)    NOT NULL,
    policy_date       DATE           NOT NULL,
    catalogue         VARCHAR(300)   NOT NULL,
    manual            VARCHAR(4000)  NOT NULL,
    created_at        TIMESTAMP      NOT NULL
);
