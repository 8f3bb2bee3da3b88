package org.medsettle.maintenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.maintenance.MaintenanceNotices.Window;
import org.medsettle.api.store.Actor;
import org.medsettle.hub.internal.HubComponent;
import org.medsettle.hub.internal.HubMaintenance;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.AnsweringLink;
import org.medsettle.store.testing.TestStores;

/**
 * Maintenance notices between two nodes and the hub's list, each on its own real store: 630000 announces, 330000
 * reads it from the hub; what the hub refuses, a restart without the hub, a cancellation.
 */
@org.junit.jupiter.api.Tag("database")
class MaintenanceServiceTest {

    private static final Admdvs QH = Admdvs.of("630000");
    private static final Admdvs ZJ = Admdvs.of("330000");
    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Actor ADMIN = Actor.console("admin");

    private final StoreComponent hubStore = TestStores.fresh();
    private final HubMaintenance hub;
    private final ObjectMapper json = new ObjectMapper();

    MaintenanceServiceTest() {
        hubStore.applyOwnSchema(HubComponent.class.getClassLoader(), "db/hub", "medsettle-hub");
        hub = new HubMaintenance(hubStore, hubStore, CLOCK);
        link = new AnsweringLink(q -> hub.answer(q.from(), q.type(), json.readTree(q.body())).toString());
    }

    /** A node's link to the hub: its questions answered by the hub's own code, its refusals thrown back. */
    private final AnsweringLink link;

    private static MaintenanceConfig config(int warnHours) {
        return new MaintenanceConfig() {
            public int pollSeconds() {
                return 30;
            }

            public int warnHours() {
                return warnHours;
            }

            public Class<? extends Annotation> annotationType() {
                return MaintenanceConfig.class;
            }
        };
    }

    private MaintenanceService node(Admdvs province, StoreComponent store) {
        store.applyOwnSchema(MaintenanceService.class.getClassLoader(), "db/maintenance", "medsettle-maintenance");
        return MaintenanceService.of(province, store, store, link, CLOCK, config(24));
    }

    @Test
    void aWindowAnnouncedAtOneNodeIsKnownAtAnotherOnceItReadsTheHubsList() {
        MaintenanceService qinghai = node(QH, TestStores.fresh());
        MaintenanceService zhejiang = node(ZJ, TestStores.fresh());
        Window w = qinghai.announce(NOW.plus(Duration.ofHours(20)), NOW.plus(Duration.ofHours(24)), " 系统升级 ", ADMIN);
        assertEquals(QH, w.province());
        assertEquals("系统升级", w.reason());
        assertEquals(List.of(), zhejiang.windows(), "not read yet");
        zhejiang.read();
        assertEquals(List.of(w.id()), zhejiang.windows().stream().map(Window::id).toList());
        assertTrue(zhejiang.upcoming(Admdvs.of("630100"), NOW, Duration.ofHours(24)).isPresent(), "a city of 630000");
        assertTrue(zhejiang.upcoming(QH, NOW, Duration.ofHours(19)).isEmpty(), "not within 19 hours");
        assertTrue(zhejiang.openAt(QH, NOW).isEmpty());
        assertTrue(zhejiang.openAt(QH, NOW.plus(Duration.ofHours(21))).isPresent());
        assertTrue(zhejiang.openAt(ZJ, NOW.plus(Duration.ofHours(21))).isEmpty());
        assertEquals(Duration.ofHours(24), zhejiang.warning());
        assertTrue(zhejiang.check().detail().contains("630000 2026-12-03 08:00 to 2026-12-03 12:00: 系统升级"),
                zhejiang.check().detail());
        // audited at the hub (with the node) and at the announcing node
        assertTrue(hubStore.recent(10, java.util.Optional.of("MAINTENANCE_ANNOUNCED")).stream()
                .anyMatch(r -> r.event().actor().equals("admin@630000")));
    }

    @Test
    void aNodeStartedWhileTheHubIsDownKnowsTheWindowsItReadBefore() {
        StoreComponent store = TestStores.fresh();
        MaintenanceService zhejiang = node(ZJ, store);
        Window w = node(QH, TestStores.fresh()).announce(NOW.minus(Duration.ofMinutes(10)), NOW.plus(Duration.ofHours(2)),
                "机房搬迁", ADMIN);
        zhejiang.read();
        link.down = true;
        MaintenanceService restarted = node(ZJ, store);
        assertEquals(List.of(w.id()), restarted.windows().stream().map(Window::id).toList());
        assertTrue(restarted.openAt(QH, NOW).isPresent(), "down now");
        assertThrows(LinkUnavailableException.class, restarted::read);
        assertEquals(1, restarted.windows().size(), "the last list kept when the hub does not answer");
        assertTrue(restarted.check().ok() && restarted.check().detail().contains("DOWN NOW"), restarted.check().detail());
    }

    @Test
    void impossibleWindowsAreRefusedAndNothingIsAnnounced() {
        MaintenanceService qinghai = node(QH, TestStores.fresh());
        for (Instant[] w : new Instant[][] {
                {NOW.plus(Duration.ofHours(5)), NOW.plus(Duration.ofHours(4))},
                {NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(1))},
                {NOW, NOW.plus(Duration.ofHours(73))},
                {NOW.plus(Duration.ofDays(91)), NOW.plus(Duration.ofDays(91)).plus(Duration.ofHours(1))}}) {
            assertThrows(IllegalArgumentException.class, () -> qinghai.announce(w[0], w[1], "升级", ADMIN),
                    w[0] + " to " + w[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> qinghai.announce(NOW.plus(Duration.ofHours(1)),
                NOW.plus(Duration.ofHours(2)), "  ", ADMIN));
        // told to clerks in warn_msg at every treatment node: one line of readable characters
        assertEquals("the reason: U+000A (a control character) at character 3; text may hold only characters meant to "
                + "be read, on one line", assertThrows(IllegalArgumentException.class, () -> qinghai.announce(
                NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(2)), "升级\n请用暂记结算", ADMIN)).getMessage());
        qinghai.read();
        assertEquals(List.of(), qinghai.windows());
        // the hub checks too: a node that sends what it would not announce is refused there
        assertThrows(IllegalArgumentException.class, () -> hub.answer(QH, "MAINTENANCE_ANNOUNCE", json.createObjectNode()
                .put("from", NOW.toString()).put("until", NOW.minus(Duration.ofHours(1)).toString()).put("reason", "x")
                .put("by", "a")));
    }

    @Test
    void aWindowIsCancelledOnlyByItsOwnProvinceAndThenGoneEverywhere() {
        MaintenanceService qinghai = node(QH, TestStores.fresh());
        MaintenanceService zhejiang = node(ZJ, TestStores.fresh());
        Window w = qinghai.announce(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(3)), "升级", ADMIN);
        assertFalse(zhejiang.cancel(w.id(), ADMIN), "another province's window");
        zhejiang.read();
        assertEquals(1, zhejiang.windows().size());
        assertTrue(qinghai.cancel(w.id(), ADMIN));
        assertFalse(qinghai.cancel(w.id(), ADMIN), "once");
        zhejiang.read();
        assertEquals(List.of(), zhejiang.windows());
    }
}
