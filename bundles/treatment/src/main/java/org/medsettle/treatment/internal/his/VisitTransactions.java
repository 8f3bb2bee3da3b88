package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.SettlementRefusedException;

/** Admission, registration, discharge, cancellations and fee details: 2401, 2201, 2402, 2404, 2405, 2301/2204, 2302. */
final class VisitTransactions {

    static final int MAX_FEE_LINES = 500;
    /**
     * The most a fee line may amount to, either sign: 100 million yuan (一亿元), far above any item a hospital bills
     * (a CAR-T therapy is about 1.2 million), so that a mistyped amount is refused at the upload instead of making a
     * bill no settlement can carry.
     */
    static final Money MAX_LINE_AMOUNT = Money.ofYuan("100000000.00");
    static final org.medsettle.api.AsciiCode SERIAL = new org.medsettle.api.AsciiCode(30, "_-");

    private final Deps deps;
    private final Envelopes envelopes;
    private final Provisional provisional;

    VisitTransactions(Deps deps, Envelopes envelopes, Provisional provisional, KnownCoverage known) {
        this.deps = deps;
        this.envelopes = envelopes;
        this.provisional = provisional;
        this.knownCoverage = known;
    }

    /** What is known of each person admitted here: their settlement goes in one exchange. */
    private final KnownCoverage knownCoverage;

    /** The visit, if it exists and is one of the calling hospital's; the same refusal otherwise (no probing). */
    static Rows.Visit ownVisit(Connection c, Call call, String mdtrtId, String psnNo, String at) throws SQLException {
        Optional<Rows.Visit> visit = TreatmentStore.visit(c, mdtrtId);
        own(visit, call, mdtrtId, psnNo, at);
        return visit.get();
    }

    /** As {@link #ownVisit}, the visit read with its bill's upload rows (a settlement's and a pre-settlement's read). */
    static TreatmentStore.VisitWithBill ownVisitWithBill(Connection c, Call call, String mdtrtId, String psnNo, String at)
            throws SQLException {
        Optional<TreatmentStore.VisitWithBill> read = TreatmentStore.visitWithBill(c, mdtrtId);
        own(read.map(TreatmentStore.VisitWithBill::visit), call, mdtrtId, psnNo, at);
        return read.get();
    }

    /**
     * Refused unless {@code visit} is there, the calling hospital's and of person {@code psnNo}, and the envelope's
     * {@code insuplc_admdvs}, when given, is in the province the visit was admitted as insured in (the visit's is the
     * one used: a HIS that names another is mistaken about whose funds pay).
     */
    private static void own(Optional<Rows.Visit> visit, Call call, String mdtrtId, String psnNo, String at) {
        if (visit.isEmpty() || !visit.get().hospital().equals(call.hospital().code())) {
            throw HisRefusal.field(at + ".mdtrt_id", "no visit " + mdtrtId + " at hospital " + call.hospital().code());
        }
        if (!visit.get().psnNo().equals(psnNo)) {
            throw HisRefusal.field(at + ".psn_no", "visit " + mdtrtId + " is not of person " + psnNo);
        }
        Admdvs insured = visit.get().insuredPlace();
        call.insuredPlace().filter(named -> !named.sameProvinceAs(insured)).ifPresent(named -> {
            throw HisRefusal.field("insuplc_admdvs", named + ": visit " + mdtrtId + " was admitted as insured in "
                    + insured + "; nothing was done");
        });
    }

    /** The visit, which must be an inpatient stay (discharge and its cancellation). */
    private static Rows.Visit stay(Rows.Visit v, String at) {
        if (!v.inpatient()) {
            throw HisRefusal.field(at + ".mdtrt_id", v.mdtrtId() + " is an outpatient visit: no discharge");
        }
        return v;
    }

    /** Moves a visit from state {@code from}; refused if another request moved it meanwhile. */
    private static void move(Connection c, String mdtrtId, String from, String to, LocalDateTime end, boolean setEnd,
                             Call call, Instant now) throws SQLException {
        if (!TreatmentStore.moveVisit(c, mdtrtId, from, to, null, end, setEnd, null, call.msgid(), now)) {
            throw HisRefusal.business("visit " + mdtrtId + " changed meanwhile; query it and try again");
        }
    }

    /**
     * The insured place of a visit being opened: the input's {@code insuplc_admdvs} ({@code givenAt}) if it has one,
     * else the envelope's. One request names one: an input and an envelope naming two provinces are refused, since
     * which one the hospital meant — whose funds pay — cannot be told.
     */
    private Admdvs insuredPlace(Call call, Optional<Admdvs> given, String givenAt) {
        if (given.isPresent() && call.insuredPlace().isPresent()
                && !given.get().sameProvinceAs(call.insuredPlace().get())) {
            throw HisRefusal.field(givenAt, given.get() + " is in another province than the envelope's insuplc_admdvs "
                    + call.insuredPlace().get() + ": one request, one insured place");
        }
        Admdvs insured = given.or(call::insuredPlace).orElseThrow(() -> HisRefusal.field("insuplc_admdvs",
                "required: the patient's insured place (from 1101)"));
        if (insured.sameProvinceAs(deps.node())) {
            throw HisRefusal.field("insuplc_admdvs", insured + " is this node's own province: local patients are "
                    + "settled by the province's own system, this node settles patients insured elsewhere");
        }
        return insured;
    }

    private static String insutype(Input in) {
        return in.oneOf("insutype", "310", "390");
    }

    /** 2401 admission (入院办理). */
    byte[] admit(Call call) {
        Input info = call.input().object("mdtrtinfo");
        String psnNo = info.text("psn_no", SERIAL, "a person number");
        String insutype = insutype(info);
        LocalDateTime begin = info.time("begntime");
        deps.dates().admission(begin, info.path() + ".begntime");
        info.oneOf("med_type", "21");
        Optional<Credential> credential = Credential.of(info);
        String iptNo = info.text("ipt_no", SERIAL, "the hospital's admission number");
        Admdvs insured = insuredPlace(call, info.optProvinceAdmdvs("insuplc_admdvs"), info.path() + ".insuplc_admdvs");
        info.optAdmdvs("mdtrtarea_admvs").ifPresent(t -> {
            if (!t.sameProvinceAs(deps.node())) {
                throw HisRefusal.field(info.path() + ".mdtrtarea_admvs", t + " is not this node's province " + deps.node());
            }
        });
        return open(call, psnNo, insutype, "21", begin, insured, iptNo, credential, "result", info.path());
    }

    /** 2201 outpatient registration (门诊挂号). */
    byte[] register(Call call) {
        Input data = call.input().object("data");
        String psnNo = data.text("psn_no", SERIAL, "a person number");
        String insutype = insutype(data);
        LocalDateTime begin = data.time("begntime");
        deps.dates().admission(begin, data.path() + ".begntime");
        Optional<Credential> credential = Credential.of(data);
        String otpNo = data.text("ipt_otp_no", SERIAL, "the hospital's registration number");
        Admdvs insured = insuredPlace(call, Optional.empty(), data.path() + ".insuplc_admdvs");
        return open(call, psnNo, insutype, "11", begin, insured, otpNo, credential, "data", data.path());
    }

    private byte[] open(Call call, String psnNo, String insutype, String medType, LocalDateTime begin, Admdvs insured,
                        String iptOtpNo, Optional<Credential> credential, String outputName, String at) {
        Known known = knownAtTheInsuredPlace(psnNo, insutype, insured, begin, medType, credential, at);
        String mdtrtId = deps.serial("mdtrt_id", 14);
        Instant now = deps.clock().instant();
        // what the insured province answered, kept for the settlement (one exchange: "KnownCoverage")
        known.coverage().ifPresent(cov -> knownCoverage.keep(cov, now));
        return envelopes.commit(call, "open visit " + mdtrtId, known.warning(), c -> {
            // and for a provisional settlement should it go down (provinces that opted in)
            if (known.coverage().isPresent()) {
                provisional.keep(c, known.query(), known.coverage().get(), now);
            }
            TreatmentStore.insertVisit(c, new Rows.Visit(mdtrtId, psnNo, call.hospital().code(), insutype, medType,
                    begin, Optional.empty(), insured, call.treatmentPlace(), iptOtpNo, "OPEN", Optional.empty(),
                    call.msgid(), Optional.empty(), Optional.empty(), 0, false), now);
            ObjectNode output = Output.object();
            ObjectNode result = output.putObject(outputName);
            result.put("mdtrt_id", mdtrtId);
            result.put("psn_no", psnNo);
            result.put("ipt_otp_no", iptOtpNo);
            return output;
        });
    }

    /**
     * A visit is opened only for a person the insured place knows, under the insurance type they have there: asked
     * through the link (or this node for its own province) before anything is stored. When the insured place does not
     * answer, the patient is admitted all the same (a hospital does not send a patient away because another
     * province's system is down) with a warning: the person is checked at settlement, which needs the insured place.
     *
     * @return the warning for the answer, or "" when the insured place answered
     */
    /** What the insured place answered at the opening of a visit: a warning, and the coverage if it was asked. */
    private record Known(String warning, org.medsettle.api.insured.CoverageQuery query,
                         Optional<org.medsettle.api.insured.Coverage> coverage) {
    }

    private Known knownAtTheInsuredPlace(String psnNo, String insutype, Admdvs insured, LocalDateTime begin,
                                         String medType, Optional<Credential> credential, String at) {
        org.medsettle.api.insured.CoverageQuery query = new org.medsettle.api.insured.CoverageQuery(insured, psnNo,
                deps.node(), begin.toLocalDate(), begin.toLocalDate(),
                org.medsettle.api.model.MedicalType.ofCode(medType), false);
        Optional<InsuredPerson> person;
        try {
            // the coverage (the person with the filing and accumulators, in the same one exchange) is kept for the
            // visit: its settlement is computed from it and applied in one exchange (unless the accumulators moved
            // meanwhile), and a province that opted in to provisional settlement is settled from it while down
            try {
                org.medsettle.api.insured.Coverage cov = deps.insuredPlaces().apply(insured).coverage(query);
                provisional.reached(insured);
                String theirs = cov.person().insuranceType().code();
                if (!theirs.equals(insutype)) {
                    throw HisRefusal.field(at + ".insutype", insutype + ", but person " + psnNo
                            + " is insured under " + theirs + " in " + insured);
                }
                fits(cov.person(), begin, credential, at);
                return new Known("", query, Optional.of(cov));
            } catch (org.medsettle.api.insured.CoverageRefusedException noFiling) {
                // no filing yet (filed before discharge, 出院结算前补办) or an unknown person: asked as below
            }
            person = deps.insuredPlaces().apply(insured)
                    .person(new PersonQuery(Optional.of(insured), Optional.of(psnNo), Optional.empty()));
        } catch (LinkUnavailableException e) {
            provisional.failed(insured);
            return new Known("the insured province " + insured + " did not answer; the visit is open and the person is "
                    + "checked at settlement", query, Optional.empty());
        }
        if (person.isEmpty()) {
            throw HisRefusal.field(at + ".psn_no", "the insured province " + insured + " knows no person " + psnNo
                    + " (find the patient with 1101 first)");
        }
        String theirs = person.get().person().insuranceType().code();
        if (!theirs.equals(insutype)) {
            throw HisRefusal.field(at + ".insutype", insutype + ", but person " + psnNo + " is insured under " + theirs
                    + " in " + insured);
        }
        fits(person.get().person(), begin, credential, at);
        return new Known("", query, Optional.empty());
    }

    /**
     * The insured record of the person a visit opens for agrees with the request: born by its begin (a newborn's
     * visit may begin on the day of birth), the credential presented theirs.
     */
    private static void fits(org.medsettle.api.model.Person person, LocalDateTime begin,
                             Optional<Credential> credential, String at) {
        if (person.birthDate() != null && begin.toLocalDate().isBefore(person.birthDate())) {
            throw HisRefusal.field(at + ".begntime", begin.toLocalDate() + " is before the patient was born");
        }
        credential.ifPresent(cr -> cr.check(person));
    }

    /** 2402 discharge (出院办理). */
    byte[] discharge(Call call) {
        Input info = call.input().object("dscginfo");
        String mdtrtId = info.text("mdtrt_id", SERIAL, "a visit number");
        String psnNo = info.text("psn_no", SERIAL, "a person number");
        LocalDateTime end = info.time("endtime");
        Instant now = deps.clock().instant();
        return envelopes.commit(call, "discharge " + mdtrtId, c -> {
            Rows.Visit v = stay(ownVisit(c, call, mdtrtId, psnNo, info.path()), info.path());
            if (!"OPEN".equals(v.state())) {
                throw HisRefusal.field(info.path() + ".mdtrt_id", "visit " + mdtrtId + " is " + v.state()
                        + ", only an open admission is discharged");
            }
            deps.dates().discharge(end, v.begin(), info.path() + ".endtime");
            move(c, mdtrtId, "OPEN", "DISCHARGED", end, true, call, now);
            return Output.object();
        });
    }

    /**
     * 2405 cancel discharge (出院撤销): a discharged, unsettled stay is open again (more fees, a later discharge).
     * A settled stay is reversed first (2305). The discharge time stays in the row but is not used while the visit is
     * open (the next 2402 sets it); a 2601 of this 2405 therefore restores the discharge exactly.
     */
    byte[] cancelDischarge(Call call) {
        return changeVisit(call, "cancel discharge", (c, v, at, now) -> {
            stay(v, at);
            if (!"DISCHARGED".equals(v.state())) {
                throw HisRefusal.field(at + ".mdtrt_id", "visit " + v.mdtrtId() + " is " + v.state()
                        + switch (v.state()) {
                            case "SETTLED" -> ": reverse the settlement first (2305), then cancel the discharge";
                            case "OPEN" -> ": it has not been discharged";
                            default -> "";
                        });
            }
            move(c, v.mdtrtId(), "DISCHARGED", "OPEN", null, false, call, now);
        });
    }

    /** 2404 cancel admission (取消入院). */
    byte[] cancelAdmission(Call call) {
        return changeVisit(call, "cancel admission", (c, v, at, now) -> {
            if (!"OPEN".equals(v.state()) && !"DISCHARGED".equals(v.state())) {
                throw HisRefusal.field(at + ".mdtrt_id", "visit " + v.mdtrtId() + " is " + v.state()
                        + (("SETTLED".equals(v.state())) ? ": reverse the settlement first (2305)" : ""));
            }
            if (!TreatmentStore.fees(c, v.mdtrtId(), true).isEmpty()) {
                throw HisRefusal.field(at + ".mdtrt_id", "visit " + v.mdtrtId()
                        + " has fee details: cancel them first (2302 with feedetl_sn 0000)");
            }
            move(c, v.mdtrtId(), v.state(), "CANCELLED", null, false, call, now);
        });
    }

    /** What a transaction on one visit does with it, inside the transaction that keeps its answer. */
    @FunctionalInterface
    private interface VisitChange {
        void apply(Connection c, Rows.Visit visit, String at, Instant now) throws SQLException;
    }

    /** A transaction on one of the hospital's visits named by {@code data{mdtrt_id, psn_no}}, answered with no output. */
    private byte[] changeVisit(Call call, String what, VisitChange change) {
        Input data = call.input().object("data");
        String mdtrtId = data.text("mdtrt_id", SERIAL, "a visit number");
        String psnNo = data.text("psn_no", SERIAL, "a person number");
        Instant now = deps.clock().instant();
        return envelopes.commit(call, what + " " + mdtrtId, c -> {
            change.apply(c, ownVisit(c, call, mdtrtId, psnNo, data.path()), data.path(), now);
            return Output.object();
        });
    }

    private record Line(Input in, String sn, String mdtrtId, String psnNo, LocalDateTime time, String code,
                        String hospitalCode, BigDecimal pric, BigDecimal cnt, Money amount, Optional<String> reverses) {
    }

    /** 2301 / 2204 fee details upload (费用明细上传): each line classified against the catalogue. */
    byte[] uploadFees(Call call, boolean inpatient) {
        List<Input> items = call.input().array("feedetail", MAX_FEE_LINES);
        List<Line> lines = new ArrayList<>(items.size());
        Set<String> serials = new HashSet<>();
        for (Input in : items) {
            String sn = in.text("feedetl_sn", SERIAL, "the line's serial (1-30 letters or digits)");
            if ("0000".equals(sn)) {
                throw HisRefusal.field(in.path() + ".feedetl_sn", "0000 is reserved (2302: cancel all)");
            }
            if (!serials.add(sn)) {
                throw HisRefusal.field(in.path() + ".feedetl_sn", sn + " appears twice in this upload");
            }
            Line line = new Line(in, sn, in.text("mdtrt_id", SERIAL, "a visit number"),
                    in.text("psn_no", SERIAL, "a person number"), in.time("fee_ocur_time"),
                    in.text("med_list_codg", CatalogueEntry.CODE, "a national list code"),
                    in.optText("medins_list_codg").orElse(""), in.decimal("pric"), in.decimal("cnt"),
                    in.money("det_item_fee_sumamt"), in.optText("init_feedetl_sn"));
            if (line.cnt().signum() < 0 && line.reverses().isEmpty()) {
                throw HisRefusal.field(in.path() + ".cnt", "must be > 0 (a negative quantity only reverses an "
                        + "earlier line named by init_feedetl_sn)");
            }
            if (line.cnt().signum() == 0) {
                throw HisRefusal.field(in.path() + ".cnt", "must not be 0");
            }
            if (line.pric().signum() < 0) {
                throw HisRefusal.field(in.path() + ".pric", "must not be negative");
            }
            if (line.pric().precision() - line.pric().scale() > 12) {
                throw HisRefusal.field(in.path() + ".pric", "at most 12 digits before the decimal point");
            }
            if (Math.abs(line.amount().fen()) > MAX_LINE_AMOUNT.fen()) {
                throw HisRefusal.field(in.path() + ".det_item_fee_sumamt", "at most " + MAX_LINE_AMOUNT
                        + " yuan a line (一亿元): no item costs more");
            }
            if (line.cnt().stripTrailingZeros().scale() > 4 || line.cnt().precision() - line.cnt().scale() > 14) {
                throw HisRefusal.field(in.path() + ".cnt", "at most 4 decimals and 14 digits before the point");
            }
            if (line.hospitalCode().length() > 60) {
                throw HisRefusal.field(in.path() + ".medins_list_codg", "at most 60 characters");
            }
            if (!lines.isEmpty() && !lines.get(0).mdtrtId().equals(line.mdtrtId())) {
                throw HisRefusal.field(in.path() + ".mdtrt_id", "one upload carries the lines of one visit ("
                        + lines.get(0).mdtrtId() + ")");
            }
            if (!lines.isEmpty() && !lines.get(0).psnNo().equals(line.psnNo())) {
                throw HisRefusal.field(in.path() + ".psn_no", "differs from the first line's");
            }
            lines.add(line);
        }
        String mdtrtId = lines.get(0).mdtrtId();
        Instant now = deps.clock().instant();
        return envelopes.commit(call, "upload fee details of " + mdtrtId, c -> {
            // the visit taken first (if it is the calling hospital's), then read: its fee_rows as of this
            // transaction, whatever a cancellation (2302) of the visit committed just before; a refusal below takes
            // the lock's change back with the rest
            boolean visitTaken = TreatmentStore.takeVisitFees(c, mdtrtId, Optional.of(call.hospital().code()),
                    lines.stream().map(Line::time).min(LocalDateTime::compareTo),
                    lines.stream().map(Line::time).max(LocalDateTime::compareTo));
            Rows.Visit v = ownVisit(c, call, mdtrtId, lines.get(0).psnNo(), items.get(0).path());
            if (!visitTaken) {
                throw new SQLException("visit " + mdtrtId + " appeared while its upload was taking it");
            }
            if (v.inpatient() != inpatient) {
                throw HisRefusal.field(items.get(0).path() + ".mdtrt_id", mdtrtId + " is an "
                        + (v.inpatient() ? "inpatient visit: upload with 2301" : "outpatient visit: upload with 2204"));
            }
            if (!"OPEN".equals(v.state()) && !"DISCHARGED".equals(v.state())) {
                throw HisRefusal.field(items.get(0).path() + ".mdtrt_id", "visit " + mdtrtId + " is " + v.state()
                        + ": no more fee details");
            }
            Optional<LocalDateTime> end = "DISCHARGED".equals(v.state()) ? v.end() : Optional.empty();
            for (Line l : lines) {
                deps.dates().fee(l.time(), v.begin(), end, l.in().path() + ".fee_ocur_time");
            }
            Set<String> wanted = new HashSet<>(serials);
            lines.forEach(l -> l.reverses().ifPresent(wanted::add));
            Map<String, VisitFees.Line> existing = new HashMap<>();
            // fee_line looked at only if some of the visit's lines are rows there (visit.fee_rows, read under the lock)
            for (VisitFees.Line f : VisitFees.named(c, mdtrtId, wanted, v.feeRows())) {
                existing.put(f.feedetlSn(), f);
            }
            // what is left of each line being reversed: its quantity and amount less its active reversing lines,
            // earlier ones and this upload's (several reversals together never take back more than it had)
            Netted taken = lines.stream().anyMatch(l -> l.reverses().isPresent())
                    ? netted(VisitFees.lines(c, mdtrtId, true, v.feeRows())) : netted(List.of());
            Map<String, BigDecimal> cntLeft = taken.cnt();
            Map<String, Money> amountLeft = taken.amount();
            List<FeeLine> toClassify = new ArrayList<>(lines.size());
            for (Line l : lines) {
                VisitFees.Line old = existing.get(l.sn());
                if (old != null && "ACTIVE".equals(old.state())) {
                    throw HisRefusal.field(l.in().path() + ".feedetl_sn", l.sn() + " was uploaded before; cancel it "
                            + "first (2302) to upload it again");
                }
                if (l.reverses().isPresent()) {
                    VisitFees.Line original = existing.get(l.reverses().get());
                    if (original == null || !"ACTIVE".equals(original.state()) || original.cnt().signum() < 0) {
                        throw HisRefusal.field(l.in().path() + ".init_feedetl_sn", "no active line "
                                + l.reverses().get() + " in visit " + mdtrtId + " to reverse");
                    }
                    BigDecimal left = cntLeft.get(original.feedetlSn());
                    if (l.cnt().signum() > 0 || left.add(l.cnt()).signum() < 0) {
                        throw HisRefusal.field(l.in().path() + ".cnt", "a reversing line takes back between 0 and "
                                + left.stripTrailingZeros().toPlainString() + " of line " + original.feedetlSn()
                                + " (its quantity " + original.cnt().stripTrailingZeros().toPlainString()
                                + " less what its earlier reversing lines took back)");
                    }
                    Money amountBefore = amountLeft.get(original.feedetlSn());
                    if (amountBefore.plus(l.amount()).isNegative()) {
                        throw HisRefusal.field(l.in().path() + ".det_item_fee_sumamt", "a reversing line takes back "
                                + "at most " + amountBefore + " of line " + original.feedetlSn() + " (its amount "
                                + original.amount() + " less what its earlier reversing lines took back)");
                    }
                    cntLeft.put(original.feedetlSn(), left.add(l.cnt()));
                    amountLeft.put(original.feedetlSn(), amountBefore.plus(l.amount()));
                }
                // a reversing line is classified as what it takes back
                toClassify.add(new FeeLine(l.sn(), l.code(), l.time(), l.pric(), l.cnt().abs(), l.amount().isNegative()
                        ? l.amount().negate() : l.amount()));
            }
            List<ItemSplit> splits;
            try {
                splits = deps.engine().classify(toClassify, deps.catalogue());
            } catch (SettlementRefusedException e) {
                throw HisRefusal.business("input." + e.getMessage());
            }
            ArrayNode result = Output.JSON.createArrayNode();
            List<VisitFees.Line> inserts = new ArrayList<>(lines.size());
            List<VisitFees.Line> replacements = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                ItemSplit s = splits.get(i);
                boolean neg = l.cnt().signum() < 0;
                if (neg != l.amount().isNegative() && !l.amount().isZero()) {
                    throw HisRefusal.field(l.in().path() + ".det_item_fee_sumamt", "must have the sign of cnt");
                }
                VisitFees.Line fee = new VisitFees.Line(mdtrtId, l.sn(), l.code(), l.hospitalCode(), l.time(),
                        l.pric(), l.cnt(), l.amount(), sign(s.fulamtOwnpay(), neg), sign(s.overlmtSelfpay(), neg), sign(s.preselfpay(), neg),
                        sign(s.inscp(), neg), s.chrgitmLv(), l.reverses(), "ACTIVE", call.msgid());
                (existing.containsKey(l.sn()) ? replacements : inserts).add(fee);
                result.add(Output.feeResult(fee, neg ? negated(s) : s));
            }
            TreatmentStore.putFees(c, mdtrtId, call.msgid(), inserts, replacements);
            TreatmentStore.recordFeeMessage(c, call.msgid(), mdtrtId);
            ObjectNode output = Output.object();
            output.set("result", result);
            return output;
        });
    }

    private static Money sign(Money m, boolean negative) {
        return negative ? m.negate() : m;
    }

    private static ItemSplit negated(ItemSplit s) {
        return new ItemSplit(s.feedetlSn(), s.amount().negate(), s.chargeClass(), s.priceLimit(), s.selfpayProp(),
                s.fulamtOwnpay().negate(), s.overlmtSelfpay().negate(), s.preselfpay().negate(), s.inscp().negate());
    }

    /** 2302 cancel fee details (撤销费用明细): one line, or all with {@code 0000}. */
    byte[] cancelFees(Call call) {
        Input data = call.input().object("data");
        String sn = data.text("feedetl_sn", SERIAL, "a line serial or 0000 for all");
        String mdtrtId = data.text("mdtrt_id", SERIAL, "a visit number");
        String psnNo = data.text("psn_no", SERIAL, "a person number");
        return envelopes.commit(call, "cancel fee details of " + mdtrtId, c -> {
            // taken first, then read, as an upload: a settlement committed meanwhile is seen here (SETTLED)
            boolean visitTaken = TreatmentStore.takeVisitFees(c, mdtrtId, Optional.of(call.hospital().code()),
                    Optional.empty(), Optional.empty());
            Rows.Visit v = ownVisit(c, call, mdtrtId, psnNo, data.path());
            if (!visitTaken) {
                throw new SQLException("visit " + mdtrtId + " appeared while its cancellation was taking it");
            }
            if (!"OPEN".equals(v.state()) && !"DISCHARGED".equals(v.state())) {
                throw HisRefusal.field(data.path() + ".mdtrt_id", "visit " + mdtrtId + " is " + v.state()
                        + (("SETTLED".equals(v.state())) ? ": reverse the settlement first (2305)" : ""));
            }
            boolean all = "0000".equals(sn);
            int cancelled = TreatmentStore.cancelFees(c, mdtrtId, all ? null : sn, call.msgid());
            if (!all && cancelled == 0) {
                throw HisRefusal.field(data.path() + ".feedetl_sn", "no active line " + sn + " in visit " + mdtrtId);
            }
            TreatmentStore.recordFeeMessage(c, call.msgid(), mdtrtId);
            return Output.object();
        });
    }

    /**
     * The lines the engine settles: uploaded, not cancelled, each reversing line netted into the line it takes back
     * (a line taken back whole disappears).
     */
    static List<FeeLine> engineLines(List<VisitFees.Line> fees) {
        Netted n = netted(fees);
        return n.originals().values().stream().filter(f -> n.cnt().get(f.feedetlSn()).signum() > 0)
                .map(f -> new FeeLine(f.feedetlSn(), f.medListCodg(), f.time(), f.pric(),
                        n.cnt().get(f.feedetlSn()), n.amount().get(f.feedetlSn()))).toList();
    }

    /** Lines that reverse none, in their order, with their quantity and amount net of the lines reversing them. */
    private record Netted(Map<String, VisitFees.Line> originals, Map<String, BigDecimal> cnt,
                          Map<String, Money> amount) {
    }

    private static Netted netted(List<VisitFees.Line> fees) {
        Map<String, VisitFees.Line> byId = new java.util.LinkedHashMap<>();
        Map<String, BigDecimal> cnt = new HashMap<>();
        Map<String, Money> amount = new HashMap<>();
        for (VisitFees.Line f : fees) {
            if (f.reverses().isEmpty()) {
                byId.put(f.feedetlSn(), f);
                cnt.put(f.feedetlSn(), f.cnt());
                amount.put(f.feedetlSn(), f.amount());
            }
        }
        for (VisitFees.Line f : fees) {
            f.reverses().filter(byId::containsKey).ifPresent(original -> {
                cnt.merge(original, f.cnt(), BigDecimal::add);
                amount.merge(original, f.amount(), Money::plus);
            });
        }
        return new Netted(byId, cnt, amount);
    }
}
