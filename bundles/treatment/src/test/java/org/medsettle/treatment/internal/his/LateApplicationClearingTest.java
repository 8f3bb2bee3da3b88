package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;

/**
 * A provisional settlement (暂记结算) made in November while the insured province was down, and applied there only
 * after November was cleared: the treatment node's claim is a case of November's clearing, carried; the insured
 * node's application, late, is reported in December's clearing with its own month, and the two are cleared there —
 * never carried for ever, never cleared twice. Both nodes' sides and the hub are the real clearing.
 */
@org.junit.jupiter.api.Tag("database")
class LateApplicationClearingTest {

    private static final String PSN = HisTransactionsTest.PSN;
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    private final MonthlyClearingTest.MovingClock clock =
            new MonthlyClearingTest.MovingClock(LocalDateTime.of(2026, 11, 20, 9, 0));
    private final Network network = Network.ofProvinceNodes(clock);

    /** The windows the treatment node knows. */
    private final ProvisionalThroughHisTest.Notices notices = new ProvisionalThroughHisTest.Notices();

    private String lineState(String province, String side, String setlId) {
        return network.store(province).inTransaction("read a clearing line", c -> {
            try (var ps = c.prepareStatement("SELECT state, month FROM clearing_line WHERE side = ? AND setl_id = ? "
                    + "AND movement = '+'")) {
                ps.setString(1, side);
                ps.setString(2, setlId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1).strip() + " " + rs.getString(2) : "none";
                }
            }
        });
    }

    @Test
    void aProvisionalSettlementAppliedAfterItsMonthWasClearedIsClearedTheMonthAfter() {
        Network.InsuredNode home = network.insured("630000");
        home.importPersons(HisTransactionsTest.PERSONS);
        home.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"), LocalDate.of(2026, 1, 1),
                Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""), Actor.console("agency"), "test");
        Network.TreatmentNode node = network.treatment("330000");
        node.his.modified(Map.of("admissionMaxAgeDays", "3650", "provisional.limit.630000", "20000.00/30000.00",
                "provisional.afterSeconds", "0"));
        node.his.setMaintenance(notices);
        HisClient his = new HisClient(node, node.hospital(3));
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(PSN))).path("result")
                .path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, PSN)));
        // 630000 down from November 20 to December 2: settled provisionally
        notices.windows.add(new MaintenanceNotices.Window(1, Admdvs.of("630000"), clock.instant().minus(Duration.ofMinutes(5)),
                LocalDateTime.of(2026, 12, 2, 0, 0).atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant(),
                "系统升级", clock.instant(), "admin"));
        JsonNode settled = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));
        assertEquals("0", settled.path("infcode").asText(), settled.toString());
        String setlId = settled.path("output").path("setlinfo").path("setl_id").asText();

        // November's clearing while it is still not applied there: the claim is a case, carried
        InProcessClearing clearing = new InProcessClearing(network, clock, "330000", "630000");
        clock.set(LocalDateTime.of(2026, 12, 1, 2, 0));
        clearing.clear(NOVEMBER);
        assertEquals("CARRIED 2026-11", lineState("330000", "C", setlId));
        assertEquals("none", lineState("630000", "A", setlId));

        // back on December 2: applied there, late
        clock.set(LocalDateTime.of(2026, 12, 2, 9, 0));
        notices.windows.clear();
        assertEquals(1, node.his.applyNow()[0], "applied");
        assertEquals(1, node.his.list(Optional.of("APPLIED"), Optional.empty(), 10).size());

        // December's clearing: the late application with its own month, matched with the carried claim
        clock.set(LocalDateTime.of(2027, 1, 1, 2, 0));
        ClearingHub.Run december = clearing.clear(DECEMBER);
        assertEquals("CLEARED 2026-11", lineState("330000", "C", setlId));
        assertEquals("CLEARED 2026-11", lineState("630000", "A", setlId));
        assertEquals(0, december.netSum());
    }
}
