package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derby plans a statement again when the tables it reads have grown by more than a tenth, looking every
 * {@code derby.language.stalePlanCheckInterval} executions (Derby's default: 100). The store sets it to
 * {@link Dialect#DERBY_REPLAN_INTERVAL} in every Derby database it opens, kept in the database (issue 15: a node's
 * busiest statements were planned, generated and compiled again every few thousand settlements, for the same plans;
 * what that cost is measured in docs/performance.md, not here). Here: the setting is kept, and it stops a growing
 * table's statement from being planned again, where Derby's default does not.
 */
class DerbyReplanTest {

    @TempDir
    Path tmp;

    @Test
    void theStoreKeepsDerbysReplanIntervalInTheDatabaseAndChangesNothingAtTheNextStart() throws SQLException {
        EmbeddedDataSource ds = Derby.inMemory();
        try (Connection c = ds.getConnection()) {
            assertEquals(null, property(c), "a new database has Derby's default");
        }
        new StoreComponent(ds);
        try (Connection c = ds.getConnection()) {
            assertEquals("100000", property(c));
            assertEquals(Optional.empty(), Dialect.DERBY.tune(c), "a second start finds it set");
        }
    }

    @Test
    void anotherValueInTheDatabaseIsPutBackAtTheNextStartAndSaidSo() throws SQLException {
        EmbeddedDataSource ds = Derby.inMemory();
        new StoreComponent(ds);
        try (Connection c = ds.getConnection()) {
            set(c, "100");
            Optional<String> said = Dialect.DERBY.tune(c);
            assertTrue(said.orElseThrow().contains("derby.language.stalePlanCheckInterval = 100000 (was 100)"),
                    said.toString());
            set(c, "100");
        }
        Derby.shutdown(ds);
        new StoreComponent(ds);
        try (Connection c = ds.getConnection()) {
            assertEquals("100000", property(c));
        }
    }

    @Test
    void withTheStoresSettingAStatementIsNotPlannedAgainWhileItsTableGrows() throws Exception {
        EmbeddedDataSource ds = Derby.inMemory();
        new StoreComponent(ds);
        assertEquals(0, classesGeneratedWhileTheTableGrows(ds));
    }

    @Test
    void withDerbysDefaultTheSameStatementIsPlannedAgainAsItsTableGrows() throws Exception {
        EmbeddedDataSource ds = Derby.inMemory();
        try (Connection c = ds.getConnection()) {
            set(c, "100");
        }
        int generated = classesGeneratedWhileTheTableGrows(ds);
        assertTrue(generated >= 2, generated + " plans made anew");
    }

    /**
     * A table of 1,000 rows read by one prepared query through its index; then five times 300 rows more and 150
     * executions of the query: how many classes Derby generated meanwhile (one per plan made), from a JFR recording of
     * the classes the JVM defined. Derby's background index statistics, which also make plans anew, are off; a
     * checkpoint after each insert moves Derby's estimated row counts, as pages leaving its cache do on a busy node.
     */
    private int classesGeneratedWhileTheTableGrows(EmbeddedDataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            setProperty(c, "derby.storage.indexStats.auto", "false");
        }
        Derby.shutdown(ds); // read when the database boots
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE growing (id INT PRIMARY KEY, kind INT NOT NULL)");
            st.execute("CREATE INDEX growing_kind ON growing (kind)");
        }
        try (Connection c = ds.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO growing VALUES (?, ?)")) {
            int id = insert(c, insert, 0, 1_000);
            try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM growing WHERE kind = ?")) {
                query.setInt(1, 3);
                assertEquals(143, count(query));
                Path file = tmp.resolve("classes-" + System.nanoTime() + ".jfr");
                try (Recording recording = new Recording()) {
                    recording.enable("jdk.ClassDefine");
                    recording.start();
                    for (int round = 0; round < 5; round++) {
                        id = insert(c, insert, id, 300);
                        for (int i = 0; i < 150; i++) {
                            assertEquals((id - 4) / 7 + 1, count(query));
                        }
                    }
                    recording.stop();
                    recording.dump(file);
                }
                return (int) RecordingFile.readAllEvents(file).stream()
                        .map(event -> event.getClass("definedClass").getName())
                        .filter(name -> name.startsWith("org.apache.derby.exe."))
                        .count();
            }
        }
    }

    private static int insert(Connection c, PreparedStatement insert, int from, int rows) throws SQLException {
        for (int id = from; id < from + rows; id++) {
            insert.setInt(1, id);
            insert.setInt(2, id % 7);
            insert.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            st.execute("CALL SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()");
        }
        return from + rows;
    }

    private static int count(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void onlyDerbyIsTuned() throws SQLException {
        assertEquals(Optional.empty(), Dialect.POSTGRESQL.tune(null));
        assertEquals(Optional.empty(), Dialect.OTHER.tune(null));
    }

    private static String property(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY(?)")) {
            st.setString(1, Dialect.DERBY_REPLAN_PROPERTY);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void set(Connection c, String value) throws SQLException {
        setProperty(c, Dialect.DERBY_REPLAN_PROPERTY, value);
    }

    private static void setProperty(Connection c, String name, String value) throws SQLException {
        try (CallableStatement st = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            st.setString(1, name);
            st.setString(2, value);
            st.execute();
        }
    }
}
