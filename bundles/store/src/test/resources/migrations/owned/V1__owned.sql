-- a table a bundle ships itself
CREATE TABLE owned_thing (id INT NOT NULL);
INSERT INTO owned_thing (id) VALUES (1);
