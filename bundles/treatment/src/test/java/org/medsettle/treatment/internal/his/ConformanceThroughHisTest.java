package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.store.Actor;
import org.medsettle.tools.SequenceReplay;

/**
 * Every conformance sequence through the HIS interface of a treatment node (the national interface's JSON
 * envelopes, the same replay as the multi-process test), with the person and the filing at their insured node:
 * every amount of every pre-settlement and settlement to the fen; then every settlement reversed, newest first,
 * and the insured node's accumulators and balance back where they started.
 */
@org.junit.jupiter.api.Tag("database")
class ConformanceThroughHisTest {

    private final Network network = new Network();
    private int persons;

    /** The reference sequences, shipped in the engine's test jar. */
    static List<Path> sequences() throws IOException, URISyntaxException {
        URL dir = ConformanceThroughHisTest.class.getResource("/reference/conformance");
        Path path;
        if ("jar".equals(dir.toURI().getScheme())) {
            FileSystem jar;
            try {
                jar = FileSystems.getFileSystem(dir.toURI());
            } catch (FileSystemNotFoundException e) {
                jar = FileSystems.newFileSystem(dir.toURI(), Map.of());
            }
            path = jar.getPath("/reference/conformance");
        } else {
            path = Path.of(dir.toURI());
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySequenceSettlesToTheFenThroughTheHisInterfaceAndReversesToZero() throws Exception {
        List<Path> all = sequences();
        assertEquals(60, all.size());
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> replay(p)));
    }

    void replay(Path file) throws IOException {
        JsonNode seq = HisClient.JSON.readTree(Files.readAllBytes(file));
        String insured = seq.get("insured_admdvs").asText();
        String treatment = seq.get("treatment_admdvs").asText();
        persons++;
        String psnNo = insured.substring(0, 2) + String.format("%018d", persons);
        Network.InsuredNode home = network.insured(insured);
        home.importPersons("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + SequenceReplay.personCsvLine(seq, psnNo, SequenceReplay.certno(insured, persons)) + "\n");
        file(home, psnNo, seq);

        Network.TreatmentNode node = network.treatment(treatment);
        Map<Integer, HisClient> hospitals = Map.of(1, new HisClient(node, node.hospital(1)),
                2, new HisClient(node, node.hospital(2)), 3, new HisClient(node, node.hospital(3)));
        SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo, hospitals, true);
        if (!result.differences().isEmpty()) {
            fail(result.differences().size() + " differences:\n" + String.join("\n", result.differences()));
        }
        // reverse everything, newest first: the insured node's books return to the opening state
        List<SequenceReplay.Settled> settled = result.settled();
        for (int i = settled.size() - 1; i >= 0; i--) {
            JsonNode reversal = SequenceReplay.reverse(settled.get(i), psnNo, insured);
            assertEquals(0, reversal.path("fund_pay_sumamt").decimalValue()
                    .add(settled.get(i).setlinfo().path("fund_pay_sumamt").decimalValue()).signum(), "a reversal negates");
        }
        Money opening = Money.ofYuan(seq.get("person").get("opening_balc").asText());
        assertEquals(opening, home.balance(psnNo), file.getFileName() + ": balance");
        for (JsonNode visit : seq.get("visits")) {
            int year = LocalDate.parse(visit.get("settle_date").asText()).getYear();
            Accumulators acc = home.place.accumulators(psnNo, year);
            acc.pools().values().forEach(p -> assertTrue(p.inscp().isZero() && p.hifpPaid().isZero()
                    && p.annualDeductiblePaid().isZero(), file.getFileName() + ": pools back to zero " + acc));
            acc.layers().values().forEach(l -> assertTrue(l.axis().isZero() && l.paid().isZero(),
                    file.getFileName() + ": layers back to zero " + acc));
            assertEquals(0, acc.inpatientAdmissions());
            assertEquals(Money.ZERO, acc.assistancePaid());
        }
        // both ledgers: every settlement and reversal with exactly its entries, and, everything reversed, nothing
        // owed between the provinces
        assertEquals(List.of(), node.ledger.verify().problems(), file.getFileName() + ": treatment ledger");
        assertEquals(List.of(), home.ledger.verify().problems(), file.getFileName() + ": insured ledger");
        node.ledger.balances("claim:" + insured).forEach(b -> assertEquals(0, b.fen(), b.toString()));
        home.ledger.balances("owed:" + treatment).forEach(b -> assertEquals(0, b.fen(), b.toString()));
        assertTrue(node.ledger.verify().postings() > 0, "settlements posted");
    }

    private static void file(Network.InsuredNode home, String psnNo, JsonNode seq) {
        JsonNode f = SequenceReplay.filing(seq, psnNo);
        home.filings.file(new FilingRequest(psnNo, FilingCategory.valueOf(f.get("category").asText()),
                Admdvs.of(f.get("mdtrtarea_admvs").asText()), LocalDate.parse(f.get("valid_from").asText()),
                Optional.ofNullable(f.get("valid_to")).map(v -> LocalDate.parse(v.asText())), f.get("evidence").asText(),
                ""), Actor.console("agency"), "conformance");
    }
}
