-- The treatment-place catalogue (就医地目录): every imported version kept, one active.
CREATE TABLE catalogue_version (
    version_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       VARCHAR(500) NOT NULL,
    imported_at  TIMESTAMP    NOT NULL,
    imported_by  VARCHAR(64)  NOT NULL,
    entry_count  INT          NOT NULL,
    active       SMALLINT     NOT NULL
);
CREATE TABLE catalogue_entry (
    version_id    BIGINT        NOT NULL REFERENCES catalogue_version (version_id),
    line_no       INT           NOT NULL,
    med_list_codg VARCHAR(64)   NOT NULL,
    name          VARCHAR(200)  NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    charge_class  CHAR(1)       NOT NULL,
    selfpay_prop  DECIMAL(5,4)  NOT NULL,
    price_limit   DECIMAL(16,6),
    valid_from    DATE          NOT NULL,
    valid_to      DATE,
    PRIMARY KEY (version_id, line_no)
);
