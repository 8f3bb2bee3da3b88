-- The place of treatment (就医地): what hospitals sent and what the node answered.

-- One row per msgid: the first answer, given again to a repeat with the same body (idempotency, 2601).
CREATE TABLE his_message (
    msgid           VARCHAR(40)     NOT NULL PRIMARY KEY,
    fixmedins_code  VARCHAR(30)     NOT NULL,
    infno           CHAR(4)         NOT NULL,
    body_sha256     CHAR(64)        NOT NULL,
    infcode         VARCHAR(4)      NOT NULL,
    response_gz     VARCHAR(32000)  NOT NULL,
    received_at     TIMESTAMP       NOT NULL,
    corrected_at    TIMESTAMP
);

CREATE TABLE visit (
    mdtrt_id         VARCHAR(40)   NOT NULL PRIMARY KEY,
    psn_no           VARCHAR(30)   NOT NULL,
    fixmedins_code   VARCHAR(30)   NOT NULL,
    insutype         CHAR(3)       NOT NULL,
    med_type         CHAR(2)       NOT NULL,
    begntime         TIMESTAMP     NOT NULL,
    endtime          TIMESTAMP,
    insuplc_admdvs   CHAR(6)       NOT NULL,
    mdtrtarea_admvs  CHAR(6)       NOT NULL,
    ipt_otp_no       VARCHAR(40)   NOT NULL,
    state            VARCHAR(12)   NOT NULL,
    setl_id          VARCHAR(40),
    msgid            VARCHAR(40)   NOT NULL,
    prior_state      VARCHAR(12),
    state_msgid      VARCHAR(40),
    created_at       TIMESTAMP     NOT NULL,
    updated_at       TIMESTAMP     NOT NULL
);
CREATE INDEX visit_hospital ON visit (fixmedins_code, psn_no);

CREATE TABLE fee_line (
    mdtrt_id             VARCHAR(40)    NOT NULL,
    feedetl_sn           VARCHAR(40)    NOT NULL,
    med_list_codg        VARCHAR(60)    NOT NULL,
    medins_list_codg     VARCHAR(60)    NOT NULL,
    fee_ocur_time        TIMESTAMP      NOT NULL,
    pric                 DECIMAL(18,6)  NOT NULL,
    cnt                  DECIMAL(18,4)  NOT NULL,
    det_item_fee_sumamt  DECIMAL(16,2)  NOT NULL,
    fulamt_ownpay_amt    DECIMAL(16,2)  NOT NULL,
    overlmt_amt          DECIMAL(16,2)  NOT NULL,
    preselfpay_amt       DECIMAL(16,2)  NOT NULL,
    inscp_scp_amt        DECIMAL(16,2)  NOT NULL,
    chrgitm_lv           CHAR(2)        NOT NULL,
    init_feedetl_sn      VARCHAR(40),
    state                VARCHAR(10)    NOT NULL,
    msgid                VARCHAR(40)    NOT NULL,
    cancel_msgid         VARCHAR(40),
    PRIMARY KEY (mdtrt_id, feedetl_sn)
);

CREATE TABLE settlement (
    setl_id            VARCHAR(40)    NOT NULL PRIMARY KEY,
    kind               VARCHAR(10)    NOT NULL,
    reversal_of        VARCHAR(40),
    state              VARCHAR(12)    NOT NULL,
    mdtrt_id           VARCHAR(40)    NOT NULL,
    psn_no             VARCHAR(30)    NOT NULL,
    psn_name           VARCHAR(100)   NOT NULL,
    fixmedins_code     VARCHAR(30)    NOT NULL,
    insuplc_admdvs     CHAR(6)        NOT NULL,
    insutype           CHAR(3)        NOT NULL,
    psn_type           CHAR(4)        NOT NULL,
    med_type           CHAR(2)        NOT NULL,
    msgid              VARCHAR(40)    NOT NULL,
    setl_time          TIMESTAMP      NOT NULL,
    setl_year          INT            NOT NULL,
    acc_version        BIGINT         NOT NULL,
    medfee_sumamt      DECIMAL(16,2)  NOT NULL,
    fulamt_ownpay_amt  DECIMAL(16,2)  NOT NULL,
    overlmt_selfpay    DECIMAL(16,2)  NOT NULL,
    preselfpay_amt     DECIMAL(16,2)  NOT NULL,
    inscp_scp_amt      DECIMAL(16,2)  NOT NULL,
    act_pay_dedc       DECIMAL(16,2)  NOT NULL,
    hifp_pay           DECIMAL(16,2)  NOT NULL,
    pool_prop_selfpay  DECIMAL(6,4)   NOT NULL,
    cvlserv_pay        DECIMAL(16,2)  NOT NULL,
    hifes_pay          DECIMAL(16,2)  NOT NULL,
    hifmi_pay          DECIMAL(16,2)  NOT NULL,
    hifob_pay          DECIMAL(16,2)  NOT NULL,
    maf_pay            DECIMAL(16,2)  NOT NULL,
    oth_pay            DECIMAL(16,2)  NOT NULL,
    fund_pay_sumamt    DECIMAL(16,2)  NOT NULL,
    psn_part_amt       DECIMAL(16,2)  NOT NULL,
    acct_pay           DECIMAL(16,2)  NOT NULL,
    psn_cash_pay       DECIMAL(16,2)  NOT NULL,
    balc               DECIMAL(16,2)  NOT NULL,
    setldetail         VARCHAR(4000)  NOT NULL,
    change_data        VARCHAR(4000)  NOT NULL,
    created_at         TIMESTAMP      NOT NULL,
    updated_at         TIMESTAMP      NOT NULL
);
CREATE INDEX settlement_visit ON settlement (mdtrt_id);
CREATE INDEX settlement_state ON settlement (state, psn_no);
