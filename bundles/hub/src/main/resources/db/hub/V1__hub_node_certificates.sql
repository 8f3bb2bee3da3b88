-- The national link moved from Ed25519-signed messages to mutual TLS (issue 11): the hub's directory pins each
-- node's link certificate by its SHA-256 fingerprint instead of holding a signing key. A node registered before
-- keeps its address and has no certificate until an administrator registers it again (medsettle:hub-node-add
-- with the fingerprint medsettle:link-certificate prints on the node); until then the hub refuses it.
ALTER TABLE hub_node ADD COLUMN cert_sha256 CHAR(64);
ALTER TABLE hub_node DROP COLUMN public_key;
ALTER TABLE hub_node ADD CONSTRAINT hub_node_cert_unique UNIQUE (cert_sha256);
