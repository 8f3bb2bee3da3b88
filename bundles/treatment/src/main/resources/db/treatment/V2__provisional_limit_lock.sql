-- One row per insured province a provisional settlement (暂记结算) was made for: its commit updates the row first, so
-- that commits for the same province wait for each other — also between instances sharing a database — and each
-- checks the risk limit's total against what the others committed. The treatment bundle alone writes it.
CREATE TABLE provisional_limit_lock (
    insuplc_admdvs  CHAR(6)    NOT NULL PRIMARY KEY,
    locked_at       TIMESTAMP  NOT NULL
);
