-- Blocks of identifiers (mdtrt_id, setl_id, filing ids, message serials): each process reserves a block at a
-- time, so that nodes sharing one database never hand out the same number.
CREATE TABLE id_block (
    name        VARCHAR(40)  NOT NULL PRIMARY KEY,
    next_value  BIGINT       NOT NULL
);

-- The designated hospitals (定点医疗机构) of this node, with the key each signs its requests with.
CREATE TABLE hospital (
    fixmedins_code  VARCHAR(30)   NOT NULL PRIMARY KEY,
    fixmedins_name  VARCHAR(200)  NOT NULL,
    hosp_lv         SMALLINT      NOT NULL,
    admdvs          CHAR(6)       NOT NULL,
    signing_key     VARCHAR(100)  NOT NULL,
    key_created_at  TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL
);
