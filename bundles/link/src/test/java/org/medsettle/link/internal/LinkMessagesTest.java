package org.medsettle.link.internal;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.insured.UndoResult;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;
import org.medsettle.link.internal.wire.WireJson;

/** The insured-place messages through Jackson databind: every field there and back, to the fen. */
class LinkMessagesTest {

    static final Person PERSON = new Person("63000000000000000001", "631303199608106108", "成杰", "2",
            LocalDate.of(1996, 8, 10), InsuranceType.values()[0], PersonType.values()[0], Assistance.values()[0],
            Admdvs.of("630000"), "市第一中学");
    static final Accumulators CHANGE = new Accumulators(
            Map.of("inpatient", new PoolAccumulator(Money.ofFen(1_027_444), Money.ofFen(370_978), Money.ofFen(100_000))),
            1, Map.of(LayerFund.HIFMI, new LayerAccumulator(Money.ofFen(5), Money.ofFen(3))), Money.ofFen(7),
            Money.ofFen(-656_563));

    private static <T> T roundTrip(Object message, Class<T> type) {
        // through bytes, as on the wire
        return LinkMessages.read(WireJson.parse(LinkMessages.tree(message).toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), type);
    }

    private static SettlementAmounts amounts() {
        Money[] m = new Money[18];
        for (int i = 0; i < m.length; i++) {
            m[i] = Money.ofFen(100_000L * (i + 1) + i - 9);
        }
        return new SettlementAmounts(m[0], m[1], m[2], m[3], m[4], m[5], m[6], new BigDecimal("0.15"), m[7], m[8],
                m[9], m[10], m[11], m[12], m[13], m[14], m[15], m[16], m[17]);
    }

    @Test
    void everyMessageComesBackAsItWasSent() {
        PersonQuery pq = new PersonQuery(Optional.of(Admdvs.of("630000")), Optional.empty(), Optional.of("631303199608106108"));
        assertEquals(pq, roundTrip(LinkMessages.PersonQueryMessage.of(pq), LinkMessages.PersonQueryMessage.class).query());

        Optional<InsuredPerson> found = Optional.of(new InsuredPerson(PERSON, Money.ofFen(4_600_000)));
        assertEquals(found, roundTrip(LinkMessages.InsuredPersonMessage.of(found),
                LinkMessages.InsuredPersonMessage.class).insuredPerson());
        assertEquals(Optional.empty(), roundTrip(LinkMessages.InsuredPersonMessage.of(Optional.empty()),
                LinkMessages.InsuredPersonMessage.class).insuredPerson());

        CoverageQuery cq = new CoverageQuery(Admdvs.of("630000"), PERSON.psnNo(), Admdvs.of("330000"),
                LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 9), MedicalType.values()[0], true);
        assertEquals(cq, roundTrip(LinkMessages.CoverageQueryMessage.of(cq), LinkMessages.CoverageQueryMessage.class).query());

        Coverage c = new Coverage(PERSON, "F6300000000000001", FilingCategory.TEMPORARY, 2026, 42, CHANGE);
        assertEquals(c, roundTrip(LinkMessages.CoverageMessage.of(c), LinkMessages.CoverageMessage.class).coverage());

        ApplyRequest a = new ApplyRequest(Admdvs.of("630000"), "S1", PERSON.psnNo(), "M1", Admdvs.of("330000"),
                "H33000000001", MedicalType.values()[0], LocalDateTime.of(2026, 3, 9, 18, 0, 1), 2026, 42, CHANGE,
                amounts(), null, LocalDate.of(2026, 3, 1));
        ApplyRequest back = roundTrip(LinkMessages.ApplyMessage.of(a), LinkMessages.ApplyMessage.class).request();
        assertEquals(a, back);
        assertEquals(a.amounts(), back.amounts());
        // with the person it was computed for (a coverage read earlier), checked there
        ApplyRequest withPerson = new ApplyRequest(a.insuredPlace(), a.setlId(), a.psnNo(), a.mdtrtId(),
                a.treatmentPlace(), a.fixmedinsCode(), a.medicalType(), a.setlTime(), a.year(), a.expectedVersion(),
                a.change(), a.amounts(), "F6300000000000001", a.admissionDate(), PERSON);
        assertEquals(withPerson, roundTrip(LinkMessages.ApplyMessage.of(withPerson), LinkMessages.ApplyMessage.class)
                .request());

        for (ApplyResult r : new ApplyResult[] {ApplyResult.applied(43), ApplyResult.conflict(44),
                ApplyResult.refused("no filing")}) {
            assertEquals(r, roundTrip(LinkMessages.ApplyResultMessage.of(r), LinkMessages.ApplyResultMessage.class).result());
        }
        UndoResult u = new UndoResult(true, Money.ofFen(-12));
        assertEquals(u, roundTrip(LinkMessages.UndoResultMessage.of(u), LinkMessages.UndoResultMessage.class).result());
    }

    @Test
    void amountsTravelInFenUnderTheNationalNamesAndAccumulatorsAsAnObject() {
        JsonNode tree = LinkMessages.tree(LinkMessages.AmountsMessage.of(amounts()));
        assertEquals(700_000 + 6 - 9, tree.path("hifp_pay").asLong());
        assertEquals("0.15", tree.path("pool_prop_selfpay").decimalValue().toPlainString());
        JsonNode coverage = LinkMessages.tree(LinkMessages.CoverageMessage.of(
                new Coverage(PERSON, "F1", FilingCategory.TEMPORARY, 2026, 1, CHANGE)));
        assertEquals(370_978, coverage.path("accumulators").path("pools").path("inpatient").path("hifp_paid").asLong());
    }

    @Test
    void aPoolRatioTheSettlementCannotKeepIsRefusedAtOnceWithoutBeingWrittenOut() {
        for (String ratio : List.of("1e-999999999", "1e99999999", "0.12345", "-0.1", "100")) {
            ObjectNode amounts = (ObjectNode) LinkMessages.tree(LinkMessages.AmountsMessage.of(amounts()));
            amounts.set("pool_prop_selfpay", amounts.numberNode(new java.math.BigDecimal(ratio)));
            long t0 = System.nanoTime();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LinkMessages.read(amounts, LinkMessages.AmountsMessage.class).amounts(), ratio);
            assertTrue(e.getMessage().startsWith("message field pool_prop_selfpay must be a ratio")
                    && e.getMessage().length() < 150, e.getMessage());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, ratio + " took a second");
        }
        ObjectNode fine = (ObjectNode) LinkMessages.tree(LinkMessages.AmountsMessage.of(amounts()));
        fine.put("pool_prop_selfpay", new java.math.BigDecimal("0.8500"));
        assertEquals(new java.math.BigDecimal("0.8500"),
                LinkMessages.read(fine, LinkMessages.AmountsMessage.class).amounts().poolPropSelfpay());
    }

    @Test
    void aFieldTheReceiverDoesNotKnowIsIgnoredAndAMissingOneIsNamed() {
        CoverageQuery cq = new CoverageQuery(Admdvs.of("630000"), PERSON.psnNo(), Admdvs.of("330000"),
                LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 9), MedicalType.values()[0], false);
        ObjectNode newer = (ObjectNode) LinkMessages.tree(LinkMessages.CoverageQueryMessage.of(cq));
        newer.put("something_new", 1);
        assertEquals(cq, LinkMessages.read(newer, LinkMessages.CoverageQueryMessage.class).query());
        newer.remove("psn_no");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinkMessages.read(newer, LinkMessages.CoverageQueryMessage.class).query());
        assertEquals("message field psn_no missing", e.getMessage());
        newer.put("psn_no", PERSON.psnNo()).put("record_emergency", "maybe");
        e = assertThrows(IllegalArgumentException.class,
                () -> LinkMessages.read(newer, LinkMessages.CoverageQueryMessage.class));
        assertTrue(e.getMessage().startsWith("not a CoverageQueryMessage message"), e.getMessage());
    }
}
