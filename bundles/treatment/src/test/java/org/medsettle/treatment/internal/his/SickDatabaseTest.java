package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.store.testing.TestStores;

/**
 * A node whose database is gone (issue 10, item 4): on a real Derby database on disk, shut down and moved away as
 * after a failed disk. Every HIS transaction answers the national envelope with {@code -1} and what the clerk can
 * do — never an exception, never an internal detail — and the node serves again once the database is back.
 */
class SickDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void everyTransactionAnswersMinusOneWhileTheDatabaseIsGoneAndTheNodeRecovers() throws Exception {
        Network network = new Network();
        Network.InsuredNode home = network.insured("630000");
        home.importPersons(HisTransactionsTest.PERSONS);
        home.filings.file(new FilingRequest(HisTransactionsTest.PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        TestStores.OnDisk disk = TestStores.inDirectory(dir.resolve("treatment"));
        Network.TreatmentNode node = network.treatment("330000", disk.store());
        HisClient his = new HisClient(node, node.hospital(3));
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(HisTransactionsTest.PSN)))
                .path("result").path("mdtrt_id").asText();

        disk.takeAway();
        List<JsonNode> answers = List.of(
                his.call("2401", "630000", HisTransactionsTest.admission(HisTransactionsTest.PSN)),
                his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, HisTransactionsTest.PSN)),
                his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, HisTransactionsTest.PSN)),
                his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, HisTransactionsTest.PSN,
                        HisTransactionsTest.TOTAL)),
                his.call("5203", "630000", HisClient.object()));
        for (JsonNode a : answers) {
            assertEquals("-1", a.path("infcode").asText(), a.toString());
            String message = a.path("err_msg").asText();
            assertTrue(message.contains("cannot use its database") || message.contains("could not"), message);
            assertFalse(message.contains(dir.toString()), "no internal path: " + message);
            assertFalse(message.contains("SQLState") || message.contains("Exception"), "no internals: " + message);
        }

        // past the answers' numbers reserved before the database went (a block of 1000): still the national envelope
        for (int i = 0; i < 1_100; i++) {
            JsonNode a = his.call("5203", "630000", HisClient.object());
            assertEquals("-1", a.path("infcode").asText(), a.toString());
            assertEquals(30, a.path("inf_refmsgid").asText().length(), a.toString());
        }

        disk.bringBack();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, HisTransactionsTest.PSN)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, HisTransactionsTest.PSN)));
        JsonNode settled = HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId,
                HisTransactionsTest.PSN, HisTransactionsTest.TOTAL)));
        assertEquals(0, HisTransactionsTest.TOTAL.compareTo(settled.path("setlinfo").path("medfee_sumamt").decimalValue()));
    }
}
