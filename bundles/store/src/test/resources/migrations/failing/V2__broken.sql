CREATE TABLE half_done (id INT NOT NULL PRIMARY KEY);
INSERT INTO thing (id, label) VALUES (2, 'two');
ALTER TABLE no_such_table ADD COLUMN x INT;
