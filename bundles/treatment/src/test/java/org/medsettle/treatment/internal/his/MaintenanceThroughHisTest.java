package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.store.Actor;

/**
 * Maintenance notices (停机公告) as a hospital's clerk meets them at a treatment node: a window of the patient's insured
 * province ahead is told in {@code warn_msg}; while it is open the insured province is not asked and the answer is
 * {@code -1} at once, saying until when; another province's window, or one that is over, changes nothing.
 */
@org.junit.jupiter.api.Tag("database")
class MaintenanceThroughHisTest {

    private static final String PSN = HisTransactionsTest.PSN;
    private static final Admdvs QH = Admdvs.of("630000");

    private Network.InsuredNode home;
    private Network.TreatmentNode node;
    private HisClient his;
    private final Notices notices = new Notices();

    /** The windows the node knows, as the maintenance bundle would give them. */
    private static final class Notices implements MaintenanceNotices {
        final List<Window> windows = new ArrayList<>();

        public Window announce(Instant from, Instant until, String reason, Actor actor) {
            Window w = new Window(windows.size() + 1, Admdvs.of("330000"), from, until, reason, Instant.now(),
                    actor.name());
            windows.add(w);
            return w;
        }

        public boolean cancel(long id, Actor actor) {
            return windows.removeIf(w -> w.id() == id);
        }

        public List<Window> windows() {
            return windows;
        }

        public Duration warning() {
            return Duration.ofHours(24);
        }
    }

    private static MaintenanceNotices.Window window(String province, Duration fromNow, Duration length) {
        Instant from = Instant.now().plus(fromNow);
        return new MaintenanceNotices.Window(7, Admdvs.of(province), from, from.plus(length), "系统升级", Instant.now(),
                "admin");
    }

    @BeforeEach
    void setUp() {
        Network network = new Network();
        home = network.insured("630000");
        home.importPersons(HisTransactionsTest.PERSONS);
        home.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"), LocalDate.of(2026, 1, 1),
                Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""), Actor.console("agency"), "test");
        node = network.treatment("330000");
        node.his.setMaintenance(notices);
        his = new HisClient(node, node.hospital(3));
    }

    /** A stay of PSN admitted, billed and discharged: its mdtrt_id. */
    private String dischargedStay() {
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(PSN))).path("result")
                .path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, PSN)));
        return mdtrtId;
    }

    @Test
    void aWindowOfTheInsuredProvinceAheadIsToldInWarnMsgAndTheSettlementGoesThrough() {
        String mdtrtId = dischargedStay();
        notices.windows.add(window("630000", Duration.ofHours(3), Duration.ofHours(4)));
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        String warn = answer.path("warn_msg").asText();
        assertTrue(warn.startsWith("参保地 630000 停机公告") && warn.contains("系统升级"), warn);
        assertTrue(warn.contains(org.medsettle.api.maintenance.MaintenanceText.china(notices.windows.get(0).from())), warn);
    }

    @Test
    void whileTheInsuredProvinceIsDownItIsNotAskedAndTheClerkHearsUntilWhenAtOnce() {
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(PSN))).path("result")
                .path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, PSN)));
        MaintenanceNotices.Window down = window("630000", Duration.ofMinutes(-30), Duration.ofHours(2));
        notices.windows.add(down);
        // the discharge does not need the insured province: done, and the clerk is told
        JsonNode discharged = his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, PSN));
        assertEquals("0", discharged.path("infcode").asText(), discharged.toString());
        assertTrue(discharged.path("warn_msg").asText().contains("down for maintenance until"), discharged.toString());
        int asked = home.coverageAsked.get();
        JsonNode answer = his.call("2303", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("-1", answer.path("infcode").asText(), answer.toString());
        String err = answer.path("err_msg").asText();
        assertTrue(err.contains("停机维护") && err.contains("系统升级") && err.contains("same msgid")
                && err.contains(org.medsettle.api.maintenance.MaintenanceText.china(down.until())), err);
        assertEquals(asked, home.coverageAsked.get(), "the insured province was not asked");
        // the window cancelled (or over): settled as usual
        notices.windows.clear();
        JsonNode settled = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));
        assertEquals("0", settled.path("infcode").asText(), settled.toString());
        assertEquals("", settled.path("warn_msg").asText().replaceAll(".*停机.*", ""), settled.toString());
    }

    @Test
    void anotherProvincesWindowOrOneThatIsOverChangesNothing() {
        notices.windows.add(window("130000", Duration.ofMinutes(-10), Duration.ofHours(2)));
        notices.windows.add(window("630000", Duration.ofHours(-5), Duration.ofHours(1)));
        notices.windows.add(window("630000", Duration.ofHours(30), Duration.ofHours(1)));
        String mdtrtId = dischargedStay();
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        assertTrue(!answer.path("warn_msg").asText().contains("停机"), answer.toString());
    }
}
