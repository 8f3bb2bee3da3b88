-- The ledger (账本, issue 12): double entry in fen, append only. A posting is one movement of money (a settlement
-- committed, corrected, applied, undone), unique per kind and reference; its entries sum to zero. The ledger bundle
-- alone writes these tables, in the transaction of the change that moves the money.
CREATE TABLE ledger_posting (
    posting_id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        VARCHAR(20)  NOT NULL,
    reference   VARCHAR(40)  NOT NULL,
    posted_at   TIMESTAMP    NOT NULL,
    CONSTRAINT ledger_posting_once UNIQUE (kind, reference)
);
CREATE TABLE ledger_entry (
    entry_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id  BIGINT       NOT NULL REFERENCES ledger_posting (posting_id),
    account     VARCHAR(60)  NOT NULL,
    amount_fen  BIGINT       NOT NULL,
    CONSTRAINT ledger_entry_not_zero CHECK (amount_fen <> 0)
);
CREATE INDEX ledger_entry_account ON ledger_entry (account);
