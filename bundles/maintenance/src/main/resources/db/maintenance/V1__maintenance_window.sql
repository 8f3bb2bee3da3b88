-- Maintenance notices (停机公告, issue 14) at a node: every province's windows as the national hub last listed them
-- (replaced whole at each reading), so that a node started while the hub cannot be reached still knows them. The
-- maintenance bundle alone writes this table.
CREATE TABLE maintenance_window (
    window_id       BIGINT          NOT NULL PRIMARY KEY,
    admdvs          CHAR(6)         NOT NULL,
    starts_at       TIMESTAMP       NOT NULL,
    ends_at         TIMESTAMP       NOT NULL,
    reason          VARCHAR(200)    NOT NULL,
    announced_at    TIMESTAMP       NOT NULL,
    announced_by    VARCHAR(64)     NOT NULL,
    read_at         TIMESTAMP       NOT NULL
);
