-- The national link: notices waiting to go out (written in the transaction of the change they report), and
-- the messages already received (each applied once).
CREATE TABLE link_outbox (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    msg_id           VARCHAR(64)    NOT NULL UNIQUE,
    msg_type         VARCHAR(32)    NOT NULL,
    from_admdvs      CHAR(6)        NOT NULL,
    to_admdvs        CHAR(6)        NOT NULL,
    body             VARCHAR(8000)  NOT NULL,
    created_at       TIMESTAMP      NOT NULL,
    attempts         INT            NOT NULL,
    last_error       VARCHAR(500),
    next_attempt_at  TIMESTAMP      NOT NULL,
    sent_at          TIMESTAMP
);
CREATE INDEX link_outbox_pending ON link_outbox (sent_at, seq);

CREATE TABLE link_inbox (
    msg_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    from_admdvs  CHAR(6)      NOT NULL,
    msg_type     VARCHAR(32)  NOT NULL,
    received_at  TIMESTAMP    NOT NULL
);

-- Small named values the link keeps (e.g. how far the person index has been sent to the hub).
CREATE TABLE link_state (
    name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    value  VARCHAR(200)  NOT NULL
);

-- The hub: its directory of nodes, and the national index of insured persons (hashed keys only).
CREATE TABLE hub_node (
    admdvs      CHAR(6)       NOT NULL PRIMARY KEY,
    url         VARCHAR(300)  NOT NULL,
    public_key  VARCHAR(200)  NOT NULL,
    added_at    TIMESTAMP     NOT NULL,
    updated_at  TIMESTAMP     NOT NULL
);

CREATE TABLE hub_person_index (
    key_hash    CHAR(64)   NOT NULL PRIMARY KEY,
    admdvs      CHAR(6)    NOT NULL,
    updated_at  TIMESTAMP  NOT NULL
);
