-- One owner per table (issue 11): the insured place's running account of a person — the balance after every
-- settlement applied or undone, and the version versioned updates compare — moves out of `person`, which the
-- person registry alone writes, into `person_account`, which the insured-place service (bundle node) alone writes.
-- `person.acct_balc` stays what the person was imported with; a person without a row here has that balance and
-- version 0. Persons whose account had changed keep their running balance and version.
CREATE TABLE person_account (
    psn_no       VARCHAR(30)   NOT NULL PRIMARY KEY,
    acct_balc    DECIMAL(16,2) NOT NULL,
    acc_version  BIGINT        NOT NULL,
    updated_at   TIMESTAMP     NOT NULL
);
INSERT INTO person_account (psn_no, acct_balc, acc_version, updated_at)
    SELECT psn_no, acct_balc, acc_version, updated_at FROM person WHERE acc_version > 0;
ALTER TABLE person DROP COLUMN acc_version;
