package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.sql.DataSource;

/**
 * Named sequences handed out from blocks reserved in table {@code id_block}: one short transaction per
 * {@value #BLOCK} numbers, safe when several nodes share the database.
 *
 * <p>A block is reserved on a connection of its own, taken when the store starts and kept, never on one borrowed
 * from the pool at that moment: numbers are asked for inside transactions, each holding a pooled connection, and
 * with as many transactions as the pool has connections all waiting for the one reserving a block, a reservation
 * that waited for the pool would wait for ever (seen: 48 clerks against a pool of 32 stopped a node).
 */
final class IdBlocks implements AutoCloseable {

    static final int BLOCK = 1000;

    private final DataSource dataSource;
    private final ConcurrentMap<String, Block> blocks = new ConcurrentHashMap<>();
    /** The connection blocks are reserved on; null until taken (again, after it failed). Guarded by {@code this}. */
    private Connection own;

    IdBlocks(DataSource dataSource) {
        this.dataSource = dataSource;
        synchronized (this) {
            try {
                own = dataSource.getConnection();
            } catch (SQLException e) {
                // the database is not there yet: taken at the first reservation
                own = null;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (own != null) {
            try {
                own.close();
            } catch (SQLException e) {
                // going anyway
            }
            own = null;
        }
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

    /**
     * A new block of {@code sequence} in one short transaction on this instance's own connection: run again when it
     * lost a lock conflict (another instance reserving at the same moment), and once on a new connection when the
     * kept one failed (the database restarted meanwhile).
     */
    private synchronized long reserve(String sequence) {
        for (int attempt = 1; ; attempt++) {
            boolean fresh = false;
            try {
                if (own == null || own.isClosed()) {
                    own = dataSource.getConnection();
                    fresh = true;
                }
                return Transactions.run(own, c -> reserveOn(c, sequence));
            } catch (SQLException e) {
                boolean conflict = Transactions.lockConflict(e);
                if (!conflict) {
                    close();
                }
                if (attempt < Transactions.ATTEMPTS && (conflict || !fresh)) {
                    continue;
                }
                throw new org.medsettle.api.store.StoreException("cannot reserve numbers of sequence " + sequence
                        + ": " + SchemaMigrator.describe(e) + " (nothing was changed)", e);
            }
        }
    }

    private static long reserveOn(Connection c, String sequence) throws SQLException {
        {
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
        }
    }

    private static final class Block {
        long next;
        long end;

        Block(String name) {
        }
    }
}
