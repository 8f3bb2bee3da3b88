package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.medsettle.store.internal.StoreComponent;

/**
 * The treatment bundle's V3 on a database of the previous version: every visit's span of fee times is its lines'
 * first and last time (cancelled and reversing lines included), a visit without lines has none; and its V4: a visit
 * with lines kept as rows of {@code fee_line} is marked ({@code fee_rows}), so that its bill reads them.
 */
class VisitFeeSpanMigrationTest {

    @Test
    void existingVisitsGetTheSpanOfAllTheirLinesAndAVisitWithoutLinesNone() throws SQLException {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:span-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        // the store's base schema only (visit and fee_line as before the treatment bundle's V3)
        StoreComponent store = new StoreComponent(ds);
        execute(ds, visit("M1"), visit("M2"), visit("M3"),
                line("M1", "1", "2026-03-01 10:00:00", "ACTIVE", null),
                line("M1", "2", "2026-03-04 08:30:00", "CANCELLED", null),
                line("M1", "3", "2026-02-27 23:59:59", "ACTIVE", "1"),
                line("M2", "1", "2026-05-05 05:05:05", "ACTIVE", null));

        store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");

        assertEquals(List.of("M1 2026-02-27 23:59:59.0 2026-03-04 08:30:00.0", "M2 2026-05-05 05:05:05.0 2026-05-05 "
                        + "05:05:05.0", "M3 null null"),
                rows(ds, "SELECT mdtrt_id, fee_first, fee_last FROM visit ORDER BY mdtrt_id"));
        // V4: the visits whose lines are rows of fee_line say so; no fee-detail message counted yet
        assertEquals(List.of("M1 1 0", "M2 1 0", "M3 0 0"),
                rows(ds, "SELECT mdtrt_id, fee_rows, fee_version FROM visit ORDER BY mdtrt_id"));
    }

    private static String visit(String mdtrtId) {
        return "INSERT INTO visit (mdtrt_id, psn_no, fixmedins_code, insutype, med_type, begntime, insuplc_admdvs, "
                + "mdtrtarea_admvs, ipt_otp_no, state, msgid, created_at, updated_at) VALUES ('" + mdtrtId + "', "
                + "'P1', 'H1', '310', '21', TIMESTAMP('2026-03-01 09:00:00'), '630000', '330000', 'ZY1', 'OPEN', 'A"
                + mdtrtId + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
    }

    private static String line(String mdtrtId, String sn, String time, String state, String reverses) {
        return "INSERT INTO fee_line (mdtrt_id, feedetl_sn, med_list_codg, medins_list_codg, fee_ocur_time, pric, cnt, "
                + "det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt, chrgitm_lv, "
                + "init_feedetl_sn, state, msgid) VALUES ('" + mdtrtId + "', '" + sn + "', 'X', 'Y', TIMESTAMP('" + time
                + "'), 1, 1, 1, 0, 0, 0, 1, '01', " + (reverses == null ? "NULL" : "'" + reverses + "'") + ", '"
                + state + "', 'F" + mdtrtId + sn + "')";
    }

    private static void execute(EmbeddedDataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static List<String> rows(EmbeddedDataSource ds, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }
}
