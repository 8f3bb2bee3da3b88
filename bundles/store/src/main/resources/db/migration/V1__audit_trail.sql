-- The audit trail of business events: who, when, what, through which channel.
CREATE TABLE audit_event (
    event_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMP     NOT NULL,
    actor       VARCHAR(64)   NOT NULL,
    channel     VARCHAR(16)   NOT NULL,
    event_type  VARCHAR(64)   NOT NULL,
    subject     VARCHAR(128)  NOT NULL,
    detail      VARCHAR(2000) NOT NULL
);
CREATE INDEX audit_event_by_type ON audit_event (event_type, event_id);
