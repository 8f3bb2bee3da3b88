package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * V11 (one owner per table): the running account of each person moves from {@code person}, which the person
 * registry writes, to {@code person_account}, which the insured place writes — on a database of the previous
 * version, with persons whose account had changed and persons whose had not.
 */
class PersonAccountMigrationTest {

    private final DataSource ds = Derby.inMemory();
    private final SchemaMigrator migrator = new SchemaMigrator(ds, Clock.systemUTC());

    @Test
    void aChangedAccountKeepsItsRunningBalanceAndVersionAndAnUnchangedOneStaysTheImportsBalance() throws SQLException {
        List<Migration> shipped = MigrationLoader.shipped().load();
        int v11 = 0;
        while (shipped.get(v11).version() < 11) {
            v11++;
        }
        migrator.migrate(shipped.subList(0, v11));
        execute("INSERT INTO person (psn_no, certno, psn_name, gend, brdy, insutype, psn_type, assistance, insuplc_admdvs, "
                + "emp_name, acct_balc, updated_at, acc_version) VALUES ('63000000000000000001', '631303199608106108', "
                + "'A', '2', DATE('1996-08-10'), '310', '1101', '', '630000', '', 4210.55, CURRENT_TIMESTAMP, 3)");
        execute("INSERT INTO person (psn_no, certno, psn_name, gend, brdy, insutype, psn_type, assistance, insuplc_admdvs, "
                + "emp_name, acct_balc, updated_at, acc_version) VALUES ('63000000000000000002', '631303199608106116', "
                + "'B', '1', DATE('1990-01-01'), '310', '1101', '', '630000', '', 5000.00, CURRENT_TIMESTAMP, 0)");

        migrator.migrate(shipped);

        assertEquals(List.of("63000000000000000001 4210.55 3"),
                rows("SELECT psn_no, acct_balc, acc_version FROM person_account ORDER BY psn_no"));
        assertEquals(List.of("63000000000000000001 4210.55", "63000000000000000002 5000.00"),
                rows("SELECT psn_no, acct_balc FROM person ORDER BY psn_no"));
        try (Connection c = ds.getConnection();
             ResultSet columns = c.getMetaData().getColumns(null, null, "PERSON", "ACC_VERSION")) {
            assertFalse(columns.next(), "person no longer has the insured place's version");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    b.append(i > 1 ? " " : "").append(v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
                }
                rows.add(b.toString());
            }
        }
        return rows;
    }
}
