-- The persons insured in this node's province (参保地人员), from the core system's extracts.
CREATE TABLE person (
    psn_no          VARCHAR(30)   NOT NULL PRIMARY KEY,
    certno          VARCHAR(18)   NOT NULL UNIQUE,
    psn_name        VARCHAR(100)  NOT NULL,
    gend            CHAR(1)       NOT NULL,
    brdy            DATE          NOT NULL,
    insutype        CHAR(3)       NOT NULL,
    psn_type        CHAR(4)       NOT NULL,
    assistance      VARCHAR(1)    NOT NULL,
    insuplc_admdvs  CHAR(6)       NOT NULL,
    emp_name        VARCHAR(200)  NOT NULL,
    acct_balc       DECIMAL(16,2) NOT NULL,
    updated_at      TIMESTAMP     NOT NULL
);
