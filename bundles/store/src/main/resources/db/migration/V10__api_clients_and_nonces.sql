-- Clients of the filing API with their keys (issue 10): kept here, not in etc/org.medsettle.filing.api.cfg, so
-- that no console command (config:property-list) shows a key. A client is revoked, never deleted.
CREATE TABLE api_client (
    name         VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret       VARCHAR(100) NOT NULL,
    fingerprint  VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    created_by   VARCHAR(64)  NOT NULL,
    revoked_at   TIMESTAMP,
    revoked_by   VARCHAR(64)
);
-- Nonces of signed requests seen within their window (filing API): a request signed once is accepted once,
-- also across a restart and by another node on the same database.
CREATE TABLE seen_nonce (
    channel  VARCHAR(16)  NOT NULL,
    sender   VARCHAR(64)  NOT NULL,
    nonce    VARCHAR(64)  NOT NULL,
    seen_at  TIMESTAMP    NOT NULL,
    PRIMARY KEY (channel, sender, nonce)
);
CREATE INDEX seen_nonce_seen_at ON seen_nonce (seen_at);
