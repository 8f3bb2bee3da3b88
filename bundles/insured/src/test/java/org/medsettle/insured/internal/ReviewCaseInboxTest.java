package org.medsettle.insured.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.link.HubMessage;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;

/**
 * The insured agency's side of a review case: taken once per setl_id, closed once and only by the province that
 * opened it, audited; what is not a case refused.
 */
@org.junit.jupiter.api.Tag("database")
class ReviewCaseInboxTest {

    private final StoreComponent store = TestStores.fresh();
    private final ReviewCaseInbox inbox = new ReviewCaseInbox(store, store, Clock.systemUTC());

    private static HubMessage notice(String type, String from, String body) {
        return new HubMessage(type + "-1", type, Admdvs.of(from), Admdvs.of("630000"), body);
    }

    private List<String> rows() {
        return store.inTransaction("read", c -> {
            List<String> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT setl_id, mdtrtarea_admvs, closed_by, note FROM insured_review_case");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            return out;
        });
    }

    @Test
    void aCaseIsTakenOnceAndClosedOnlyByTheProvinceThatOpenedIt() {
        String body = "{\"setl_id\":\"33000000000000001001\",\"psn_no\":\"63800000000000000001\","
                + "\"mdtrt_id\":\"33000000000000001001\",\"reason\":\"hifp_pay 6856.08 → 6865.79 (+9.71)\"}";
        assertEquals("{\"recorded\":true}", inbox.answer(notice("PROVISIONAL_CASE", "330000", body)));
        assertEquals("{\"recorded\":false}", inbox.answer(notice("PROVISIONAL_CASE", "330000", body)));
        String close = "{\"setl_id\":\"33000000000000001001\",\"by\":\"admin\",\"note\":\"差额在清算中调整\"}";
        assertEquals("{\"closed\":false}", inbox.answer(notice("PROVISIONAL_CASE_CLOSED", "110000", close)));
        assertEquals("{\"closed\":true}", inbox.answer(notice("PROVISIONAL_CASE_CLOSED", "330000", close)));
        assertEquals("{\"closed\":false}", inbox.answer(notice("PROVISIONAL_CASE_CLOSED", "330000", close)));
        assertEquals(List.of("33000000000000001001 330000 admin@330000 差额在清算中调整"), rows());
        assertEquals(1, store.recent(10, Optional.of("PROVISIONAL_CASE_RECEIVED")).size());
        assertEquals(1, store.recent(10, Optional.of("PROVISIONAL_CASE_CLOSED")).size());
        assertThrows(IllegalArgumentException.class, () -> inbox.answer(notice("PROVISIONAL_CASE", "330000",
                "{\"setl_id\":\"x\"}")));
        assertThrows(IllegalArgumentException.class, () -> inbox.answer(notice("PROVISIONAL_OTHER", "330000", body)));
    }
}
