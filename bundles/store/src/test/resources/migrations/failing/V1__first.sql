-- a comment
CREATE TABLE thing (
    id INT NOT NULL PRIMARY KEY,
    label VARCHAR(20) NOT NULL
);
INSERT INTO thing (id, label) VALUES (1, 'one');
