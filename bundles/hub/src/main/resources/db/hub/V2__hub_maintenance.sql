-- Maintenance notices (停机公告, issue 14): the windows in which a province's node announced it will be down. A node
-- announces and cancels only its own province's (the hub checks the sender's certificate); every node reads the
-- list. The hub bundle alone writes this table.
CREATE TABLE hub_maintenance (
    window_id       BIGINT          NOT NULL PRIMARY KEY,
    admdvs          CHAR(6)         NOT NULL,
    starts_at       TIMESTAMP       NOT NULL,
    ends_at         TIMESTAMP       NOT NULL,
    reason          VARCHAR(200)    NOT NULL,
    announced_at    TIMESTAMP       NOT NULL,
    announced_by    VARCHAR(64)     NOT NULL,
    cancelled_at    TIMESTAMP
);
CREATE INDEX hub_maintenance_end ON hub_maintenance (ends_at);
