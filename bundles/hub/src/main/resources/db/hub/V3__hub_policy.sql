-- Policy distribution (issue 14): the policy versions the insured provinces' nodes published through the hub (a node
-- publishes only its own province's; a version is published once), and what each node said of each: in force, or
-- refused and why. The hub bundle alone writes these tables.
CREATE TABLE hub_policy (
    admdvs          CHAR(6)         NOT NULL,
    version         VARCHAR(40)     NOT NULL,
    effective_from  DATE            NOT NULL,
    sha256          CHAR(64)        NOT NULL,
    body            VARCHAR(32000)  NOT NULL,
    published_at    TIMESTAMP       NOT NULL,
    published_by    VARCHAR(64)     NOT NULL,
    PRIMARY KEY (admdvs, version)
);
CREATE TABLE hub_policy_status (
    node            CHAR(6)         NOT NULL,
    admdvs          CHAR(6)         NOT NULL,
    version         VARCHAR(40)     NOT NULL,
    state           VARCHAR(10)     NOT NULL,
    detail          VARCHAR(1000)   NOT NULL,
    reported_at     TIMESTAMP       NOT NULL,
    PRIMARY KEY (node, admdvs, version)
);
