package org.medsettle.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.sql.DataSource;

/**
 * Named sequences handed out from blocks reserved in table {@code id_block}: one short transaction per
 * {@value #BLOCK} numbers, safe when several nodes share the database.
 */
final class IdBlocks {

    static final int BLOCK = 1000;

    private final DataSource dataSource;
    private final ConcurrentMap<String, Block> blocks = new ConcurrentHashMap<>();

    IdBlocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long next(String sequence) {
        Block block = blocks.computeIfAbsent(sequence, Block::new);
        synchronized (block) {
            if (block.next >= block.end) {
                block.next = reserve(sequence);
                block.end = block.next + BLOCK;
            }
            return block.next++;
        }
    }

    private long reserve(String sequence) {
        return Transactions.inTransaction(dataSource, "reserve numbers of sequence " + sequence, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE id_block SET next_value = next_value + ? WHERE name = ?")) {
                update.setLong(1, BLOCK);
                update.setString(2, sequence);
                if (update.executeUpdate() == 0) {
                    // the sequence's first block; another instance on the same database may insert it meanwhile
                    java.sql.Savepoint before = c.setSavepoint();
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO id_block (name, next_value) VALUES (?, ?)")) {
                        insert.setString(1, sequence);
                        insert.setLong(2, 1L + BLOCK);
                        insert.executeUpdate();
                        return 1L;
                    } catch (SQLException e) {
                        if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                            throw e;
                        }
                        c.rollback(before);
                        if (update.executeUpdate() == 0) {
                            throw new SQLException("sequence " + sequence + " neither inserted nor found", e);
                        }
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT next_value FROM id_block WHERE name = ?")) {
                select.setString(1, sequence);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("sequence " + sequence + " vanished");
                    }
                    return rs.getLong(1) - BLOCK;
                }
            }
        });
    }

    private static final class Block {
        long next;
        long end;

        Block(String name) {
        }
    }
}
