-- The top-ups of the treatment difference (待遇补差, issue 14) this province owes its insured persons: one per
-- settlement a treatment node made for them under a policy version that pays one (notice TOP_UP), paid after the
-- settlement's month is cleared (清算). RECORDED -> PAID (medsettle:topup-pay) or CANCELLED (its settlement undone
-- before payment, or medsettle:topup-cancel); a PAID one whose settlement is undone afterwards is RECOVER (to be
-- recovered from the person). The insured bundle alone writes it; each change is posted to the ledger and audited
-- in its own transaction.
CREATE TABLE insured_top_up (
    setl_id           VARCHAR(40)    NOT NULL PRIMARY KEY,
    mdtrtarea_admvs   CHAR(6)        NOT NULL,
    psn_no            VARCHAR(30)    NOT NULL,
    mdtrt_id          VARCHAR(40)    NOT NULL,
    fixmedins_code    VARCHAR(30)    NOT NULL,
    med_type          CHAR(2)        NOT NULL,
    setl_time         TIMESTAMP      NOT NULL,
    setl_month        CHAR(7)        NOT NULL,
    top_up_amt        DECIMAL(14, 2) NOT NULL,
    direct_fund_pay   DECIMAL(14, 2) NOT NULL,
    manual_fund_pay   DECIMAL(14, 2) NOT NULL,
    policy_version    VARCHAR(40)    NOT NULL,
    policy_date       DATE           NOT NULL,
    catalogue         VARCHAR(300)   NOT NULL,
    state             VARCHAR(10)    NOT NULL,
    received_at       TIMESTAMP      NOT NULL,
    paid_at           TIMESTAMP,
    paid_by           VARCHAR(64),
    payment_ref       VARCHAR(64),
    cancelled_at      TIMESTAMP,
    cancelled_by      VARCHAR(64),
    reason            VARCHAR(500)
);
CREATE INDEX insured_top_up_state ON insured_top_up (state, setl_time);
CREATE INDEX insured_top_up_person ON insured_top_up (psn_no);
