-- Leases on work one instance does for all instances sharing the database (org.medsettle.api.store.Leases):
-- written only by the store.
CREATE TABLE instance_lease (
    lease_name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    holder       VARCHAR(200)  NOT NULL,
    expires_at   TIMESTAMP     NOT NULL,
    acquired_at  TIMESTAMP     NOT NULL
);
