package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.api.settlement.SettlementRefusedException;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.StoreException;
import org.medsettle.api.supervision.Supervision;
import org.medsettle.support.json.AccumulatorsJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-settlement, settlement, reversal and query: 2303/2206, 2304/2207, 2305/2208, 5203.
 *
 * <p>A settlement, step by step: the insured place answers the filing check and the person's accumulators with
 * their version; the engine computes with the insured province's policy in force on the settlement date; the
 * settlement is written PENDING; the insured place applies the change if the version still holds (else the
 * settlement is recomputed with the fresh accumulators); then the settlement, the visit and the answer are
 * committed together, and only then does the hospital get its answer. A PENDING settlement whose outcome is
 * unknown (the insured place did not answer) is resumed by a repeat of the same msgid, undone by 2601, or
 * released after {@link #PENDING_TIMEOUT}. A settlement that cannot be committed is released: PENDING → RELEASING
 * (committed first, so that no other request can commit it — instances sharing a database may work on the same
 * msgid at once), its part at the insured place undone, → ABANDONED; one another request committed meanwhile is
 * never taken back (its first answer is sent).
 */
final class SettlementTransactions {

    static final int MAX_RECOMPUTE = 5;
    static final Duration PENDING_TIMEOUT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(SettlementTransactions.class);

    private final Deps deps;
    private final Envelopes envelopes;
    private final VisitLocks visitLocks;
    /** What is known of each person (admission, last settlement here): a settlement computed from it goes in one exchange. */
    private final KnownCoverage known;

    /** Coverage read for pre-settlements, used by the settlements that follow. */
    private final CoverageCache coverages = new CoverageCache();
    /** Degraded settlement (暂记结算): the settings, the snapshots, the queue. */
    private final Provisional provisional;
    /**
     * How recently what is known of a person must have been read (admission, registration) or left (their last
     * settlement here) for a pre-settlement to be computed from it without asking the insured place; zero: always
     * asked. Setting {@value #PRE_SETTLEMENT_KNOWN_MINUTES} of {@code etc/org.medsettle.transactions.cfg}.
     */
    private volatile Duration preSettlementKnown = Duration.ofMinutes(DEFAULT_PRE_SETTLEMENT_KNOWN_MINUTES);
    static final String PRE_SETTLEMENT_KNOWN_MINUTES = "preSettlementKnownMinutes";
    static final int DEFAULT_PRE_SETTLEMENT_KNOWN_MINUTES = 10;

    /** The insured provinces' own catalogues (参保地目录), for the treatment-difference estimate (待遇差). */
    private final java.util.function.Function<Admdvs, Optional<org.medsettle.api.catalogue.Catalogue>> homeCatalogues;

    SettlementTransactions(Deps deps, Envelopes envelopes, VisitLocks visitLocks, Provisional provisional,
                           KnownCoverage known,
                           java.util.function.Function<Admdvs, Optional<org.medsettle.api.catalogue.Catalogue>> homeCatalogues) {
        this.known = known;
        this.homeCatalogues = homeCatalogues;
        this.deps = deps;
        this.envelopes = envelopes;
        this.visitLocks = visitLocks;
        this.provisional = provisional;
    }

    /** See {@link #preSettlementKnown}. */
    void preSettlementKnown(Duration recently) {
        this.preSettlementKnown = recently;
    }

    Duration preSettlementKnown() {
        return preSettlementKnown;
    }

    private ReentrantLock lockOf(String mdtrtId) {
        return visitLocks.of(mdtrtId);
    }

    private record Request(Input data, String mdtrtId, String psnNo, Money medfeeSumamt, boolean accountUsed,
                           Optional<MedicalType> medType, Optional<Credential> credential) {
    }

    private static Request request(Call call, boolean outpatient) {
        Input data = call.input().object("data");
        String psnNo = data.text("psn_no", VisitTransactions.SERIAL, "a person number");
        String mdtrtId = data.text("mdtrt_id", VisitTransactions.SERIAL, "a visit number");
        Money total = data.money("medfee_sumamt");
        boolean account = "1".equals(data.oneOf("acct_used_flag", "0", "1"));
        data.optText("mid_setl_flag").filter(f -> !"0".equals(f)).ifPresent(f -> {
            throw HisRefusal.field(data.path() + ".mid_setl_flag", "mid-term settlement (中途结算) is not offered: 0");
        });
        Optional<MedicalType> medType = Optional.empty();
        if (outpatient) {
            medType = Optional.of(MedicalType.ofCode(data.oneOf("med_type", "11", "13", "14")));
        }
        data.optOneOf("insutype", "310", "390");
        Optional<Credential> credential = Credential.of(data);
        data.optText("psn_setlway").filter(w -> !"01".equals(w)).ifPresent(w -> {
            throw HisRefusal.field(data.path() + ".psn_setlway", "only 01, settlement by item (按项目结算), is "
                    + "offered: '" + w + "'");
        });
        return new Request(data, mdtrtId, psnNo, total, account, medType, credential);
    }

    /**
     * What a (pre-)settlement of a visit is computed from, read in one transaction, with the supervision rules'
     * verdict on it, and the credential the patient presented (none for a settlement computed again without a
     * request).
     */
    record Basis(Rows.Visit visit, List<FeeLine> lines, MedicalType medType, LocalDate settlementDate,
                         Supervision.Verdict verdict, Optional<Credential> credential) {
    }

    private Basis basis(Connection c, Call call, Request r, boolean outpatient, boolean settle) throws SQLException {
        TreatmentStore.VisitWithBill read = VisitTransactions.ownVisitWithBill(c, call, r.mdtrtId(), r.psnNo(),
                r.data().path());
        Rows.Visit v = read.visit();
        String at = r.data().path() + ".mdtrt_id";
        if (v.inpatient() == outpatient) {
            throw HisRefusal.field(at, r.mdtrtId() + " is an " + (v.inpatient()
                    ? "inpatient visit: settle with 2303/2304" : "outpatient visit: settle with 2206/2207"));
        }
        r.data().optText("insutype").filter(t -> !t.equals(v.insutype())).ifPresent(t -> {
            throw HisRefusal.field(r.data().path() + ".insutype", t + " differs from the visit's " + v.insutype());
        });
        switch (v.state()) {
            case "SETTLED" -> throw HisRefusal.field(at, "visit " + r.mdtrtId() + " is already settled ("
                    + v.setlId().orElse("") + "); reverse that settlement first (" + (outpatient ? "2208" : "2305") + ")");
            case "CANCELLED" -> throw HisRefusal.field(at, "visit " + r.mdtrtId() + " was cancelled");
            case "OPEN" -> {
                if (settle && v.inpatient()) {
                    throw HisRefusal.field(at, "discharge the patient first (2402), then settle");
                }
            }
            default -> {
            }
        }
        List<VisitFees.Line> fees = read.activeFees(c);
        if (fees.isEmpty()) {
            throw HisRefusal.field(at, "no fee details uploaded for visit " + r.mdtrtId());
        }
        Money total = fees.stream().map(VisitFees.Line::amount).reduce(Money.ZERO, Money::plus);
        if (!total.equals(r.medfeeSumamt())) {
            throw HisRefusal.field(r.data().path() + ".medfee_sumamt", r.medfeeSumamt() + " differs from the total "
                    + "of the uploaded fee details, " + total + ": the hospital and the node disagree about the bill");
        }
        MedicalType medType = r.medType().orElse(MedicalType.INPATIENT);
        // an open stay (never discharged, or its discharge cancelled by 2405) is pre-settled as of today
        LocalDate date = v.inpatient()
                ? v.end().filter(e -> "DISCHARGED".equals(v.state())).map(LocalDateTime::toLocalDate)
                        .orElse(LocalDate.now(deps.clock().withZone(Envelopes.CHINA)))
                : v.begin().toLocalDate();
        // the supervision rules (就医地监管) on the visit as it stands, read in the same transaction
        Supervision.Verdict verdict = deps.supervision().get().check(c, new Supervision.Stay(v.mdtrtId(), v.psnNo(),
                v.hospital(), v.inpatient(), v.begin(), v.end(), v.state()),
                LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA)), fees);
        return new Basis(v, VisitTransactions.engineLines(fees), medType, date, verdict, r.credential());
    }

    /** A warning for the hospital's answer: what the supervision rules flagged (empty if nothing). */
    private static String warning(Basis b) {
        return b.verdict().findings().isEmpty() ? ""
                : "flagged by the supervision rules (就医地监管) for review: " + b.verdict().summary();
    }

    /**
     * A visit a blocking supervision rule finds against: refused (-2), nothing settled; a settlement's refusal is
     * recorded with its findings (its own transaction), a pre-settlement's is not.
     */
    private void refuseIfBlocked(Basis b, boolean record) {
        List<Supervision.Finding> blocking = b.verdict().blocking();
        if (blocking.isEmpty()) {
            return;
        }
        if (record) {
            deps.db().inTransaction("record the refusal of visit " + b.visit().mdtrtId() + " by the supervision rules",
                    c -> {
                        deps.supervision().get().record(c, b.verdict(), Optional.empty());
                        return null;
                    });
        }
        throw HisRefusal.business("the settlement of visit " + b.visit().mdtrtId() + " is refused by the province's "
                + "supervision rules (就医地监管), nothing was settled: " + String.join("; ", blocking.stream()
                .map(f -> f.rule().key() + ": " + f.detail()).toList()) + ". The node's administrators review it "
                + "(medsettle:supervision-flags)");
    }

    private InsuredPlace insuredPlace(Admdvs insured) {
        return deps.insuredPlaces().apply(insured);
    }

    /**
     * For what is computed from a coverage read earlier, without an exchange: throws the {@link
     * org.medsettle.api.maintenance.InMaintenanceException} asking would have met while {@code insured} is in a
     * maintenance window it announced (停机公告), as looking its place up does.
     */
    private void refuseInAnnouncedMaintenance(Admdvs insured) {
        insuredPlace(insured);
    }

    private CoverageQuery coverageQuery(Basis b, boolean settle) {
        return new CoverageQuery(b.visit().insuredPlace(), b.visit().psnNo(), deps.node(), b.visit().begin().toLocalDate(),
                b.settlementDate(), b.medType(), settle);
    }

    private Coverage coverage(Basis b, boolean settle) {
        return insuredPlace(b.visit().insuredPlace()).coverage(coverageQuery(b, settle));
    }

    private void keep(Basis b, Coverage cov) {
        coverages.keep(b.visit().mdtrtId(), coverageQuery(b, true), cov, deps.clock().instant());
    }

    private Optional<Coverage> kept(Basis b) {
        return coverages.take(b.visit().mdtrtId(), coverageQuery(b, true), deps.clock().instant());
    }

    /**
     * The settlement of {@code b} on this node's catalogue, once the person of {@code cov} is checked against what the
     * request and the bill say (the insured record is at hand here on every path, asked or kept): the credential
     * presented is theirs, nothing is billed before their birth.
     */
    private SettlementOutcome compute(Basis b, Coverage cov, boolean accountUsed, Hospital hospital) {
        b.credential().ifPresent(cr -> cr.check(cov.person()));
        bornBeforeEveryLine(b, cov.person().birthDate());
        return compute(b, cov, accountUsed, hospital, deps.catalogue());
    }

    private SettlementOutcome compute(Basis b, Coverage cov, boolean accountUsed, Hospital hospital,
                                      org.medsettle.api.catalogue.Catalogue catalogue) {
        if (!cov.person().insuranceType().code().equals(b.visit().insutype())) {
            throw HisRefusal.field("input.data.insutype", "the person is insured under "
                    + cov.person().insuranceType().code() + " at " + b.visit().insuredPlace() + ", the visit says "
                    + b.visit().insutype());
        }
        Policy policy = policyOf(b);
        SettlementInput in = new SettlementInput(policy, catalogue, cov.person().insuranceType(),
                cov.person().retired(), cov.person().assistance() == null ? Assistance.NONE : cov.person().assistance(),
                cov.category(), b.medType(), hospital.level(), b.settlementDate(), accountUsed, b.lines(),
                cov.accumulators());
        try {
            return deps.engine().settle(in);
        } catch (SettlementRefusedException e) {
            throw HisRefusal.business("input." + e.getMessage());
        }
    }

    /**
     * Nothing is billed for a patient before they were born: an upload may date a line up to 190 days before the
     * admission (PlausibleDates), which for an infant reaches before the birth that only the insured record knows.
     */
    private static void bornBeforeEveryLine(Basis b, LocalDate born) {
        if (born == null) {
            return;
        }
        for (FeeLine l : b.lines()) {
            if (l.feeOcurTime().toLocalDate().isBefore(born)) {
                throw HisRefusal.field("input.data.mdtrt_id", "fee line " + l.feedetlSn() + " of visit "
                        + b.visit().mdtrtId() + " is dated " + l.feeOcurTime().toLocalDate() + ", before the patient "
                        + "was born: cancel it (2302) or correct its date, then settle again");
            }
        }
    }

    /**
     * The top-up of the treatment difference (待遇补差) settlement {@code direct} carries: the insured province's policy
     * in force pays one for this medical type, this node has that province's own catalogue, and manual reimbursement
     * there would pay more from the funds (the same engine, policy, accumulators, hospital level and account choice;
     * only the catalogue differs); or, when the policy pays one but this node has not the catalogue to compute it with,
     * the sentence for the clerk.
     */
    private TopUpDecision topUp(Basis b, Coverage cov, boolean accountUsed, Hospital hospital,
                                SettlementOutcome direct) {
        Admdvs insured = b.visit().insuredPlace();
        Policy policy = policyOf(b);
        Optional<org.medsettle.api.policy.TreatmentDifferenceTopUp> option = policy.treatmentDifferenceTopUp();
        if (option.isEmpty() || !option.get().appliesTo(b.medType())) {
            return TopUpDecision.NONE;
        }
        Optional<org.medsettle.api.catalogue.Catalogue> home = homeCatalogues.apply(insured);
        if (home.isEmpty()) {
            LOG.warn("Visit {}: the policy {} of {} pays a top-up of the treatment difference (待遇补差), but this node has "
                    + "not that province's catalogue to compute it: none is sent with the settlement (install the "
                    + "province's policy bundle that carries it; medsettle:catalogue-versions)", b.visit().mdtrtId(),
                    policy.version(), insured.province());
            return new TopUpDecision(Optional.empty(), "待遇补差 (treatment-difference top-up): " + insured.province()
                    + "'s policy pays one, but this node has not its catalogue (参保地目录) to compute it: the patient may "
                    + "claim it at " + insured.province());
        }
        SettlementOutcome manual = compute(b, cov, accountUsed, hospital, home.get());
        Money amount = option.get().amount(b.medType(), direct.amounts().fundPaySumamt(),
                manual.amounts().fundPaySumamt());
        return amount.isPositive() ? new TopUpDecision(Optional.of(SettlementTopUp.of(amount, direct.amounts(),
                manual.amounts(), policy.version(), b.settlementDate(), home.get().activeVersion())), "")
                : TopUpDecision.NONE;
    }

    /** The insured province's policy in force for {@code b}'s settlement date. */
    private Policy policyOf(Basis b) {
        return deps.policies().inForce(b.visit().insuredPlace().province(), b.settlementDate()).policy();
    }

    /**
     * What a settlement carries of the top-up (待遇补差): the top-up, or none (with, when the policy pays one but this node
     * cannot compute it, the sentence for the clerk).
     */
    record TopUpDecision(Optional<SettlementTopUp> topUp, String noCatalogue) {

        static final TopUpDecision NONE = new TopUpDecision(Optional.empty(), "");

        /** The sentence for {@code warn_msg}; empty if there is nothing to say. */
        String warning(Admdvs insured) {
            return topUp.map(t -> t.warning(insured)).orElse(noCatalogue);
        }

        /** For the settlement's audit record. */
        String audited() {
            return topUp.map(t -> ", top-up " + t.amount() + " (待遇补差)").orElse("");
        }

        /** In the settlement's commit: the notice to the insured province, and {@code manual_reimbursement}. */
        void committed(Connection c, NoticeOutbox outbox, Rows.Settlement s, Admdvs node, ObjectNode output)
                throws SQLException {
            if (topUp.isPresent()) {
                outbox.enqueue(c, topUp.get().notice(s, node));
                output.set("manual_reimbursement", Output.read(topUp.get().manual()));
            }
        }
    }

    private Hospital hospital(Call call) {
        return deps.hospitals().byCode(call.hospital().code()).orElse(call.hospital());
    }

    /**
     * For a (pre-)settlement refused on its input (MsgidLookUp.BY_ITS_HANDLER): a msgid answered before gets its
     * first answer (or its refusal, when corrected or used for another request), whatever its input would say today.
     */
    private Optional<byte[]> answeredBefore(Call call) {
        return deps.db().inTransaction("look up msgid " + call.msgid(),
                c -> HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid())));
    }

    /** 2303 / 2206: the settlement as it would be now; nothing is stored. */
    byte[] preSettle(Call call, boolean outpatient) {
        Request r;
        try {
            r = request(call, outpatient);
        } catch (HisRefusal refused) {
            return answeredBefore(call).orElseThrow(() -> refused);
        }
        // one read transaction (MsgidLookUp.BY_ITS_HANDLER): this msgid's record — a pre-settlement stores none, so
        // it is found only when the msgid was used for another request (refused) or corrected — and the visit
        Start start = deps.db().inTransaction("read msgid " + call.msgid() + " and visit " + r.mdtrtId(), c -> {
            Optional<byte[]> first = HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid()));
            return first.isPresent() ? new Start(first, Optional.empty(), Optional.empty(), null, Optional.empty())
                    : new Start(Optional.empty(), Optional.empty(), Optional.empty(), basis(c, call, r, outpatient, false),
                    Optional.empty());
        });
        if (start.answered().isPresent()) {
            return start.answered().get();
        }
        Basis b = start.basis();
        refuseIfBlocked(b, false);
        Coverage cov;
        String provisionalWarning = "";
        boolean accountUsed = r.accountUsed();
        try {
            Optional<Coverage> recent = knownRecently(b);
            Coverage read = recent.isPresent() ? recent.get() : coverage(b, false);
            cov = read;
            if (recent.isEmpty()) {
                provisional.reached(b.visit().insuredPlace());
            }
            if (provisional.optedIn(b.visit().insuredPlace())) {
                deps.db().inTransaction("keep the coverage of " + b.visit().psnNo(), c -> {
                    provisional.keep(c, coverageQuery(b, false), read, deps.clock().instant());
                    return null;
                });
            }
        } catch (LinkUnavailableException e) {
            // the insured province is down: what a provisional settlement would give, if it may be made
            Degraded d = degraded(b, e);
            cov = d.snapshot().coverage();
            accountUsed = false;
            provisionalWarning = d.warning(true);
        }
        Hospital hospital = hospital(call);
        SettlementOutcome outcome = compute(b, cov, accountUsed, hospital);
        // what manual reimbursement at home would pay (待遇差), if this node has the insured province's catalogue
        Optional<org.medsettle.api.catalogue.Catalogue> home = homeCatalogues.apply(b.visit().insuredPlace());
        Optional<SettlementOutcome> manual = home.isEmpty() ? Optional.empty()
                : Optional.of(compute(b, cov, accountUsed, hospital, home.get()));
        if (provisionalWarning.isEmpty()) {
            keep(b, cov);
        } else {
            Provisional.Limit limit = provisional.settings().limit(b.visit().insuredPlace()).orElseThrow();
            if (outcome.amounts().fundPaySumamt().compareTo(limit.perSettlement()) > 0) {
                provisionalWarning += "; its fund payment " + outcome.amounts().fundPaySumamt() + " is above the "
                        + limit.perSettlement() + " a provisional settlement may carry: it cannot be settled until "
                        + b.visit().insuredPlace().province() + " answers";
            }
        }
        Rows.Settlement s = row("", "SETTLEMENT", Optional.empty(), "PRESETTLED", b, cov, outcome.amounts(),
                call.msgid(), outcome, LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA)));
        ObjectNode output = Output.object();
        output.set("setlinfo", Output.setlinfo(s));
        output.set("setldetail", Output.setldetail(outcome.details(), false));
        String difference = "";
        if (manual.isPresent()) {
            ObjectNode m = Output.manualReimbursement(outcome.amounts(), manual.get().amounts(), home.get().activeVersion());
            difference = TreatmentDifference.warning(b.visit().insuredPlace(), outcome.amounts(), manual.get().amounts());
            // the top-up of the difference (待遇补差) the insured province's policy would pay for it
            Optional<org.medsettle.api.policy.TreatmentDifferenceTopUp> option = policyOf(b).treatmentDifferenceTopUp();
            if (option.isPresent()) {
                Money topUp = option.get().amount(b.medType(), outcome.amounts().fundPaySumamt(),
                        manual.get().amounts().fundPaySumamt());
                m.put("top_up_amt", topUp.toYuan());
                if (topUp.isPositive()) {
                    difference += "; " + b.visit().insuredPlace().province() + " would top up " + topUp + " of it after "
                            + "the month's clearing (待遇补差, output.manual_reimbursement.top_up_amt)";
                }
            }
            output.set("manual_reimbursement", m);
        }
        return envelopes.success(output, join(join(provisionalWarning, difference), warning(b)));
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    /**
     * What this instance learnt of the person within {@link #preSettlementKnown} — at the visit's admission or
     * registration, or from their last settlement here — for a pre-settlement to be computed from without asking:
     * the insured place's accumulators, filing and record as of then (the settlement that follows is applied with
     * their version, and computed again should they have moved). Not for a province that opted in to provisional
     * settlement (its coverage's exchange is what tells it is down); not in a maintenance window the insured province
     * announced (thrown, as when asking).
     */
    private Optional<Coverage> knownRecently(Basis b) {
        Duration recently = preSettlementKnown;
        Admdvs insured = b.visit().insuredPlace();
        if (recently.isZero() || provisional.optedIn(insured)) {
            return Optional.empty();
        }
        Optional<Coverage> k = known.of(b.visit().psnNo(), insured, b.settlementDate().getYear(),
                deps.clock().instant(), recently);
        if (k.isPresent()) {
            refuseInAnnouncedMaintenance(insured);
        }
        return k;
    }

    /** Why and from what a settlement is made provisionally. */
    private record Degraded(String reason, Provisional.Snapshot snapshot) {
        String warning(boolean pre) {
            return (pre ? "PROVISIONAL ESTIMATE (暂记结算): " : "PROVISIONAL SETTLEMENT (暂记结算): ") + reason
                    + "; computed from what this node last knew of the person (as of "
                    + org.medsettle.api.maintenance.MaintenanceText.china(snapshot.readAt()) + "), without the personal "
                    + "account" + (pre ? "" : "; it is applied at " + snapshot.coverage().person().insuredPlace().province()
                    + " when that province is back, and what the hospital is told here does not change");
        }
    }

    /**
     * The insured province did not answer ({@code failure}): a provisional settlement's basis if one may be made (the
     * province opted in, is announced down or silent long enough, and this node knows the person for this visit);
     * otherwise {@code failure} is rethrown (the hospital hears what it heard before).
     */
    private Degraded degraded(Basis b, LinkUnavailableException failure) {
        Admdvs insured = b.visit().insuredPlace();
        Optional<String> why = provisional.degradedBecause(insured, failure);
        if (why.isEmpty()) {
            throw failure;
        }
        Optional<Provisional.Snapshot> snap = deps.db().inTransaction("read what is known of " + b.visit().psnNo(),
                c -> Provisional.snapshot(c, insured, b.visit().psnNo(), deps.node(), b.visit().begin().toLocalDate(),
                        b.settlementDate().getYear()));
        if (snap.isEmpty()) {
            LOG.info("Visit {}: {}, but this node has no coverage of person {} for this visit read before: not settled "
                    + "provisionally", b.visit().mdtrtId(), why.get(), b.visit().psnNo());
            throw failure;
        }
        return new Degraded(why.get(), snap.get());
    }

    private Rows.Settlement row(String setlId, String kind, Optional<String> reversalOf, String state, Basis b,
                                Coverage cov, SettlementAmounts amounts, String msgid, SettlementOutcome outcome,
                                LocalDateTime time) {
        return new Rows.Settlement(setlId, kind, reversalOf, state, b.visit().mdtrtId(), b.visit().psnNo(),
                cov.person().name(), b.visit().hospital(), b.visit().insuredPlace(), b.visit().insutype(),
                cov.person().personType().code(), b.medType().code(), msgid, time, cov.year(), cov.version(), amounts,
                Output.setldetailJson(outcome.details()), AccumulatorsJson.write(outcome.change()),
                java.util.OptionalInt.of(b.visit().feeVersion()));
    }

    /** 2304 / 2207: settles, the insured place applies it, committed before the answer. */
    byte[] settle(Call call, boolean outpatient) {
        Request r;
        try {
            r = request(call, outpatient);
        } catch (HisRefusal refused) {
            return answeredBefore(call).orElseThrow(() -> refused);
        }
        ReentrantLock lock = lockOf(r.mdtrtId());
        lock.lock();
        try {
            // the number the settlement gets if one is made now (taken before the transaction below, which must not
            // wait for another connection to reserve a block of numbers; one not used is a gap in the numbers)
            String setlId = deps.serial("setl_id", 14);
            Hospital hospital = hospital(call);
            // one transaction: this msgid's record (a repeat of an answered request gets its first answer), its
            // pending settlement (a repeat to finish), the visit with its bill — and, when the coverage is known
            // without asking (the pre-settlement's, the one last known), the settlement computed and written PENDING
            Start start = deps.db().inTransaction("read msgid " + call.msgid() + ", its pending settlement and visit "
                    + r.mdtrtId(), c -> {
                Optional<byte[]> answered = HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid()));
                if (answered.isPresent()) {
                    return new Start(answered, Optional.empty(), Optional.empty(), null, Optional.empty());
                }
                List<Rows.Settlement> ofMessage = TreatmentStore.settlementsOfMessage(c, call.msgid());
                Optional<Rows.Settlement> pending = ofMessage.stream().filter(s -> "PENDING".equals(s.state())).findFirst();
                Optional<Rows.Settlement> releasing = ofMessage.stream().filter(s -> "RELEASING".equals(s.state())).findFirst();
                Basis b = basis(c, call, r, outpatient, true);
                Optional<Attempt> written = pending.isPresent() || releasing.isPresent() ? Optional.empty()
                        : writtenWithoutAsking(c, call, r, b, hospital, setlId);
                return new Start(Optional.empty(), pending, releasing, b, written);
            });
            if (start.answered().isPresent()) {
                return start.answered().get();
            }
            if (start.pending().isPresent()) {
                return resume(call, start.pending().get(), r, outpatient, start.basis());
            }
            if (start.releasing().isPresent()) {
                // this msgid's earlier settlement is still being taken back at the insured place: finish that first,
                // so that the new one is computed on accumulators without it
                return releasedThenAnew(call, r, outpatient, start.releasing().get());
            }
            return settleAnew(call, r, outpatient, hospital, start.basis(), setlId, start.written());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A settlement's start, read in one transaction: the first answer if its msgid was answered before; else the
     * pending settlement of its msgid if any (or one still being released), and the visit; and the settlement's
     * first attempt if it was computed and written PENDING in that transaction.
     */
    private record Start(Optional<byte[]> answered, Optional<Rows.Settlement> pending,
                         Optional<Rows.Settlement> releasing, Basis basis, Optional<Attempt> written) {
    }

    /**
     * An attempt at a settlement, computed and written PENDING: what it was computed from and whether that coverage
     * was read earlier (the insured place checks it still holds).
     */
    private record Attempt(Basis basis, Coverage coverage, From from, SettlementOutcome outcome,
                           TopUpDecision topUp, Rows.Settlement row) {

        /** Computed from a coverage read earlier: the insured place checks it still holds. */
        boolean readEarlier() {
            return from != From.ASKED;
        }
    }

    /** Where a settlement's coverage came from. */
    private enum From {
        /** Asked of the insured place for this attempt. */
        ASKED,
        /** The one last known of the person at this instance (admission, registration, their last settlement here). */
        LAST_KNOWN,
        /** The one the visit's pre-settlement (2303/2206) was computed from. */
        PRE_SETTLEMENT
    }

    /** A coverage read earlier, and by what. */
    private record Earlier(Coverage coverage, From from) {
    }

    /**
     * The first attempt computed and written PENDING on {@code c}, the connection that read its basis, when nothing
     * needs asking first: the coverage is known here (the pre-settlement's, the one last known), no supervision rule
     * blocks it. Empty otherwise (the attempt is made as below, the coverage asked first, outside any transaction).
     */
    private Optional<Attempt> writtenWithoutAsking(Connection c, Call call, Request r, Basis b, Hospital hospital,
                                                   String setlId) throws SQLException {
        if (!b.verdict().blocking().isEmpty()) {
            return Optional.empty();
        }
        Optional<Earlier> earlier = readEarlier(b, false, 1);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        // nothing is written here then
        refuseInAnnouncedMaintenance(b.visit().insuredPlace());
        Attempt a = attempt(call, r, b, earlier.get().coverage(), earlier.get().from(), hospital, setlId);
        writePending(c, a);
        return Optional.of(a);
    }

    /** A settlement computed from {@code cov}, its row PENDING (not yet written). */
    private Attempt attempt(Call call, Request r, Basis b, Coverage cov, From from, Hospital hospital,
                            String setlId) {
        SettlementOutcome outcome = compute(b, cov, r.accountUsed(), hospital);
        TopUpDecision topUp = topUp(b, cov, r.accountUsed(), hospital, outcome);
        LocalDateTime now = LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA));
        Rows.Settlement s = row(setlId, "SETTLEMENT", Optional.empty(), "PENDING", b, cov, outcome.amounts(),
                call.msgid(), outcome, now);
        return new Attempt(b, cov, from, outcome, topUp, s);
    }

    private void writePending(Connection c, Attempt a) throws SQLException {
        TreatmentStore.insertSettlement(c, a.row(), deps.clock().instant());
        if (a.topUp().topUp().isPresent()) {
            a.topUp().topUp().get().insert(c, a.row().setlId(), a.row().insuredPlace(), deps.clock().instant());
        }
    }

    /**
     * @param hospital  the hospital settling, as the registry has it
     * @param first     the visit as the request's first transaction read it (null: read it again)
     * @param firstId   the number for the first attempt's settlement (null: one is taken)
     * @param written   the first attempt, already written PENDING in that transaction
     */
    private byte[] settleAnew(Call call, Request r, boolean outpatient, Hospital hospital, Basis first, String firstId,
                              Optional<Attempt> written) {
        // the amounts as computed from the coverage the visit's pre-settlement read, when that no longer held
        Optional<SettlementAmounts> asPreSettled = Optional.empty();
        for (int attempt = 1; attempt <= MAX_RECOMPUTE; attempt++) {
            Attempt a;
            if (attempt == 1 && written.isPresent()) {
                a = written.get();
            } else {
                Basis b = attempt == 1 && first != null ? first
                        : deps.db().inTransaction("read visit " + r.mdtrtId(), c -> basis(c, call, r, outpatient, true));
                refuseIfBlocked(b, true);
                Coverage cov;
                // read earlier (the pre-settlement's, or the one last known): the insured place checks it still holds
                From from;
                try {
                    Optional<Earlier> earlier = readEarlier(b, first == null, attempt);
                    from = earlier.map(Earlier::from).orElse(From.ASKED);
                    if (earlier.isPresent()) {
                        cov = earlier.get().coverage();
                        // nothing is written here then
                        refuseInAnnouncedMaintenance(b.visit().insuredPlace());
                    } else {
                        cov = coverage(b, true);
                        provisional.reached(b.visit().insuredPlace());
                    }
                } catch (LinkUnavailableException e) {
                    return settleProvisionally(call, b, hospital, degraded(b, e));
                }
                Attempt made = attempt(call, r, b, cov, from, hospital,
                        attempt == 1 && firstId != null ? firstId : deps.serial("setl_id", 14));
                deps.db().inTransaction("write pending settlement " + made.row().setlId(), c -> {
                    writePending(c, made);
                    return null;
                });
                a = made;
            }
            Basis b = a.basis();
            Coverage cov = a.coverage();
            boolean readEarlier = a.readEarlier();
            SettlementOutcome outcome = a.outcome();
            TopUpDecision topUp = a.topUp();
            Rows.Settlement s = a.row();
            String setlId = s.setlId();
            ApplyResult applied;
            try {
                applied = apply(s, outcome.change(), b.medType(), cov.filingId(), b.visit().begin().toLocalDate(),
                        readEarlier ? cov.person() : null, true);
            } catch (LinkUnavailableException undelivered) {
                // certainly not delivered (the insured node down behind the hub, the breaker open): nothing was done
                // there, so nothing is pending here — answered as when its coverage could not be read
                abandon(setlId);
                LOG.info("Settlement {} of visit {} abandoned: it did not reach the insured place {} ({})", setlId,
                        r.mdtrtId(), b.visit().insuredPlace(), undelivered.getMessage());
                return settleProvisionally(call, b, hospital, degraded(b, undelivered));
            }
            switch (applied.outcome()) {
                case APPLIED -> {
                    return commit(call, s, outcome, b, Optional.of(new Applied(coverageQuery(b, true), cov,
                            applied.version())), topUp, otherThanPreSettled(asPreSettled, outcome.amounts()));
                }
                case CONFLICT -> {
                    abandon(setlId);
                    if (a.from() == From.PRE_SETTLEMENT) {
                        asPreSettled = Optional.of(outcome.amounts());
                    }
                    LOG.debug("Settlement of {} recomputed: accumulators moved to version {}", r.mdtrtId(), applied.version());
                }
                default -> {
                    abandon(setlId);
                    throw HisRefusal.business("the insured place " + b.visit().insuredPlace() + " refused the settlement: "
                            + applied.reason());
                }
            }
        }
        throw HisRefusal.uncertain("the person's accumulators kept changing during " + MAX_RECOMPUTE
                + " attempts (other settlements at the same time); nothing was settled: settle again");
    }

    /**
     * For {@code warn_msg}: the settlement's amounts differ from what its pre-settlement's coverage gave on the same
     * bill, because what the insured province holds of the person changed in between; empty when they do not.
     */
    private static String otherThanPreSettled(Optional<SettlementAmounts> asPreSettled, SettlementAmounts settled) {
        if (asPreSettled.isEmpty()) {
            return "";
        }
        SettlementAmounts pre = asPreSettled.get();
        if (pre.fundPaySumamt().equals(settled.fundPaySumamt()) && pre.acctPay().equals(settled.acctPay())
                && pre.psnCashPay().equals(settled.psnCashPay())) {
            return "";
        }
        return "computed again: the insured province's accumulators, filing or insured record of the person changed "
                + "after the pre-settlement (another settlement, a reversal or a new filing there), so the amounts are "
                + "not those its state at the pre-settlement gave on this bill: fund_pay_sumamt " + settled.fundPaySumamt()
                + " (was " + pre.fundPaySumamt() + "), acct_pay " + settled.acctPay() + " (was " + pre.acctPay()
                + "), psn_cash_pay " + settled.psnCashPay() + " (was " + pre.psnCashPay() + ")";
    }

    /**
     * The coverage the first attempt of a settlement may be computed from without asking (the insured place checks
     * it still holds when it applies): the pre-settlement's, else the one last known of the person — the latter only
     * for a province that did not opt in to provisional settlement (for one that did, the coverage's exchange is what
     * tells that it is down before anything is pending here), and not after an earlier settlement of this msgid was
     * taken back ({@code afterRelease}: the person's state moved by it). Empty for a later attempt (after a
     * conflict, the coverage is asked afresh).
     */
    private Optional<Earlier> readEarlier(Basis b, boolean afterRelease, int attempt) {
        if (attempt > 1) {
            return Optional.empty();
        }
        Optional<Coverage> preSettled = kept(b);
        if (preSettled.isPresent() || afterRelease || provisional.optedIn(b.visit().insuredPlace())) {
            return preSettled.map(cov -> new Earlier(cov, From.PRE_SETTLEMENT));
        }
        return known.of(b.visit().psnNo(), b.visit().insuredPlace(), b.settlementDate().getYear(),
                deps.clock().instant()).map(cov -> new Earlier(cov, From.LAST_KNOWN));
    }

    private ApplyResult apply(Rows.Settlement s, org.medsettle.api.settlement.Accumulators change, MedicalType medType,
                              String filingId, LocalDate admissionDate) {
        return apply(s, change, medType, filingId, admissionDate, null, false);
    }

    /**
     * @param person         the person as the settlement was computed for, checked there (null: not checked)
     * @param firstDelivery  this is the settlement's first delivery (no earlier attempt may have reached the insured
     *                       place): a {@link LinkUnavailableException} that says the message certainly did not reach
     *                       it is thrown as it is, for the caller to give the settlement up
     */
    private ApplyResult apply(Rows.Settlement s, org.medsettle.api.settlement.Accumulators change, MedicalType medType,
                              String filingId, LocalDate admissionDate, org.medsettle.api.model.Person person,
                              boolean firstDelivery) {
        try {
            return insuredPlace(s.insuredPlace()).apply(new ApplyRequest(s.insuredPlace(), s.setlId(), s.psnNo(),
                    s.mdtrtId(), deps.node(), s.hospital(), medType, s.setlTime(), s.year(), s.accVersion(), change,
                    s.amounts(), filingId, admissionDate, person));
        } catch (org.medsettle.api.maintenance.InMaintenanceException e) {
            // not asked: the insured province announced it is down (HisService answers until when)
            throw e;
        } catch (LinkUnavailableException e) {
            if (firstDelivery && e.undelivered()) {
                throw e;
            }
            LOG.warn("Settlement {} of visit {}: the insured place {} did not answer ({}); it stays PENDING until the "
                    + "hospital repeats the msgid or corrects it (2601)", s.setlId(), s.mdtrtId(), s.insuredPlace(),
                    e.getMessage());
            throw HisRefusal.uncertain("the insured province " + s.insuredPlace() + " could not be reached to "
                    + "record the settlement; the outcome is not known: repeat this request with the same msgid, or "
                    + "correct it with 2601");
        }
    }

    private void abandon(String setlId) {
        deps.db().inTransaction("abandon settlement " + setlId, c ->
                TreatmentStore.moveSettlement(c, setlId, "PENDING", "ABANDONED", deps.clock().instant()));
    }

    /** A settlement applied at the insured place: the coverage it was computed from and the version after it. */
    private record Applied(CoverageQuery query, Coverage coverage, long version) {
    }

    /**
     * Settles provisionally (暂记结算) from what this node last knew of the person: committed here with its queue entry,
     * within the insured province's risk limit, answered with a warning; applied there when it is back
     * ({@link ProvisionalApplier}).
     */
    private byte[] settleProvisionally(Call call, Basis b, Hospital hospital, Degraded d) {
        Admdvs insured = b.visit().insuredPlace();
        Coverage cov = d.snapshot().coverage();
        // the personal account is the insured province's to move: not used while it cannot be asked
        SettlementOutcome outcome = compute(b, cov, false, hospital);
        TopUpDecision topUp = topUp(b, cov, false, hospital, outcome);
        String setlId = deps.serial("setl_id", 14);
        long seq = deps.db().nextId("provisional_settlement");
        Instant now = deps.clock().instant();
        Rows.Settlement s = row(setlId, "SETTLEMENT", Optional.empty(), "SETTLED", b, cov, outcome.amounts(),
                call.msgid(), outcome, LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA)));
        Rows.Visit visit = b.visit();
        // the limit's check and the queue row in one transaction, behind the province's row lock (checkLimit)
        byte[] answer = envelopes.commit(call, "commit provisional settlement " + setlId, join(join(d.warning(false),
                topUp.warning(insured)), warning(b)),
                c -> {
                    provisional.checkLimit(c, insured, outcome.amounts().fundPaySumamt());
                    TreatmentStore.insertSettlement(c, s, now);
                    if (!TreatmentStore.settleVisit(c, visit, s.medType(), s.setlId(), call.msgid(), now)) {
                        throw changedMeanwhile(s);
                    }
                    deps.ledger().settled(c, s);
                    deps.supervision().get().record(c, b.verdict(), Optional.of(s.setlId()));
                    // queued with the settlement: applied at the insured place when it is back, or a review case
                    Provisional.queue(c, s, seq, d.reason(), d.snapshot().readAt(), now);
                    // its top-up (待遇补差): kept, and sent with the queue's order kept by the outbox; the insured
                    // province pays it once the settlement is applied there and cleared
                    if (topUp.topUp().isPresent()) {
                        topUp.topUp().get().insert(c, setlId, insured, now);
                    }
                    deps.audit().append(c, new AuditEvent(now, call.hospital().code(), AuditChannel.HIS,
                            "SETTLED_PROVISIONALLY", s.setlId(), "visit " + s.mdtrtId() + " insured in "
                            + s.insuredPlace() + " (" + d.reason() + "), from what was known as of "
                            + d.snapshot().readAt() + ": total " + s.amounts().medfeeSumamt() + ", funds "
                            + s.amounts().fundPaySumamt() + ", cash " + s.amounts().psnCashPay() + topUp.audited()));
                    ObjectNode output = Output.object();
                    output.set("setlinfo", Output.setlinfo(s));
                    output.set("setldetail", Output.read(s.setldetail()));
                    topUp.committed(c, deps.outbox(), s, deps.node(), output);
                    return output;
                });
        LOG.info("Settlement {} of visit {} made provisionally: {}; funds {}, queued for {}", setlId, s.mdtrtId(),
                d.reason(), s.amounts().fundPaySumamt(), insured);
        return answer;
    }

    /**
     * The refusal when a settlement's visit moved on between the settlement's read and its commit: another request
     * settled or cancelled it, or a fee-detail message (2301/2204, 2302, 2601) changed its bill. Nothing is settled;
     * with a changed bill the hospital sends 2304 again with its new total.
     */
    private static HisRefusal changedMeanwhile(Rows.Settlement s) {
        return HisRefusal.business("visit " + s.mdtrtId() + " was settled, cancelled or its fee details changed by "
                + "another request while this settlement was computed: nothing was settled; read the visit's bill "
                + "again and send the settlement again with its total");
    }

    /**
     * What settlement {@code s} (committed here) was computed from, read once: the visit and its bill as they were
     * settled, its medical type and settlement date.
     */
    Basis basisOf(Connection c, Rows.Settlement s) throws SQLException {
        TreatmentStore.VisitWithBill read = TreatmentStore.visitWithBill(c, s.mdtrtId()).orElseThrow(() ->
                new IllegalStateException("settlement " + s.setlId() + " has no visit " + s.mdtrtId()));
        Rows.Visit v = read.visit();
        LocalDate date = v.inpatient() ? v.end().map(LocalDateTime::toLocalDate).orElse(s.setlTime().toLocalDate())
                : v.begin().toLocalDate();
        return new Basis(v, VisitTransactions.engineLines(read.activeFees(c)),
                MedicalType.ofCode(s.medType()), date, null, Optional.empty());
    }

    /** The coverage question of a settlement's basis, as the settlement asked it. */
    CoverageQuery settlementCoverageQuery(Basis b) {
        return coverageQuery(b, true);
    }

    /** Settlement {@code s} computed again on its basis with {@code cov}, without the personal account. */
    SettlementOutcome recompute(Basis b, Rows.Settlement s, Coverage cov) {
        Hospital hospital = deps.hospitals().byCode(s.hospital()).orElseThrow(() -> new IllegalStateException(
                "hospital " + s.hospital() + " of settlement " + s.setlId() + " is no longer registered here"));
        return compute(b, cov, false, hospital);
    }

    private byte[] commit(Call call, Rows.Settlement s, SettlementOutcome outcome, Basis b, Optional<Applied> applied,
                          TopUpDecision topUp, String recomputed) {
        Rows.Visit visit = b.visit();
        Instant now = deps.clock().instant();
        byte[] answer;
        String told = join(join(recomputed, topUp.warning(s.insuredPlace())), warning(b));
        try {
            answer = envelopes.commit(call, "commit settlement " + s.setlId(), told, c -> {
                if (!TreatmentStore.moveSettlement(c, s.setlId(), "PENDING", "SETTLED", now)) {
                    throw HisRefusal.business("settlement " + s.setlId() + " was corrected or released meanwhile");
                }
                if (!TreatmentStore.settleVisit(c, visit, s.medType(), s.setlId(), call.msgid(), now)) {
                    throw changedMeanwhile(s);
                }
                // its ledger entries (the insured province's debt per fund, the hospital's credit): with the
                // settlement or not at all
                deps.ledger().settled(c, s);
                // what the supervision rules flagged on it, for review: with the settlement or not at all
                deps.supervision().get().record(c, b.verdict(), Optional.of(s.setlId()));
                // what is known of the person now, for a provisional settlement should the insured place go down
                if (applied.isPresent()) {
                    provisional.keepApplied(c, applied.get().query(), applied.get().coverage(), applied.get().version(),
                            outcome.change(), now);
                }
                // the settlement notice to the insured place, sent by the national link (durable outbox)
                deps.outbox().enqueue(c, new HubMessage("CONFIRM-" + s.setlId(), "CONFIRM", deps.node(),
                        s.insuredPlace().province(), "{\"setl_id\":\"" + s.setlId() + "\"}"));
                // the audit record in the settlement's own transaction: both are committed, or neither
                deps.audit().append(c, new AuditEvent(now, call.hospital().code(), AuditChannel.HIS, "SETTLED",
                        s.setlId(), "visit " + s.mdtrtId() + " insured in " + s.insuredPlace() + ": total "
                        + s.amounts().medfeeSumamt() + ", funds " + s.amounts().fundPaySumamt() + ", account "
                        + s.amounts().acctPay() + ", cash " + s.amounts().psnCashPay() + topUp.audited()));
                ObjectNode output = Output.object();
                output.set("setlinfo", Output.setlinfo(s));
                output.set("setldetail", Output.read(s.setldetail()));
                // its top-up of the treatment difference (待遇补差): the notice after the CONFIRM it belongs to
                topUp.committed(c, deps.outbox(), s, deps.node(), output);
                return output;
            });
        } catch (StoreException e) {
            Optional<byte[]> first = committedElsewhere(call, s);
            if (first.isPresent()) {
                return first.get();
            }
            // nothing of it was committed here (settlement, visit, answer, notice, audit): take it back at the
            // insured place, and say so
            release(s.setlId(), s.insuredPlace());
            Optional<byte[]> answered = answeredMeanwhile(call);
            if (answered.isPresent()) {
                return answered.get();
            }
            throw HisRefusal.uncertain("the node could not record settlement " + s.setlId() + ": nothing was settled "
                    + "(its part at the insured place was taken back); send the same request (same msgid) again in a "
                    + "few minutes");
        } catch (RuntimeException e) {
            Optional<byte[]> first = committedElsewhere(call, s);
            if (first.isPresent()) {
                return first.get();
            }
            // not committed here: take it back at the insured place
            release(s.setlId(), s.insuredPlace());
            Optional<byte[]> answered = answeredMeanwhile(call);
            if (answered.isPresent()) {
                return answered.get();
            }
            throw e;
        }
        // what is known of the person now: the next settlement goes in one exchange
        applied.ifPresent(a -> known.keepApplied(a.coverage(), a.version(), outcome.change(), now));
        return answer;
    }

    /**
     * The msgid answered by another request meanwhile (instances sharing a database both settled it anew at once; the
     * other committed first): its first answer, which the hospital would get for a repeat anyway.
     */
    private Optional<byte[]> answeredMeanwhile(Call call) {
        try {
            return deps.db().inTransaction("read msgid " + call.msgid() + " after a failed commit",
                    c -> HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid())));
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    /**
     * The same msgid's settlement committed by another request meanwhile: on one instance a repeat waits for the
     * visit's lock, but instances sharing a database (issue 13) may finish the same PENDING settlement at once — the
     * one that did not commit must not take back at the insured place what the other committed. Answers the first
     * answer then (empty if the settlement is not SETTLED, or it cannot be read now).
     */
    private Optional<byte[]> committedElsewhere(Call call, Rows.Settlement s) {
        try {
            return deps.db().inTransaction("read settlement " + s.setlId() + " after a failed commit", c -> {
                Optional<Rows.Settlement> now = TreatmentStore.settlement(c, s.setlId());
                if (now.isEmpty() || !"SETTLED".equals(now.get().state())) {
                    return Optional.<byte[]>empty();
                }
                Optional<byte[]> first = HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid()));
                if (first.isEmpty()) {
                    // committed by a request of another msgid (not expected: only a repeat resumes a settlement)
                    throw HisRefusal.business("settlement " + s.setlId() + " of visit " + s.mdtrtId()
                            + " was committed by another request meanwhile");
                }
                LOG.info("Settlement {} was committed by another request of msgid {} meanwhile (another instance): "
                        + "its answer sent, nothing taken back", s.setlId(), call.msgid());
                return first;
            });
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    /**
     * Undoes a settlement at the insured place that was not committed here: PENDING → RELEASING first (committed, so
     * that no request — on this instance or another sharing the database — can commit it any more), then the undo at
     * the insured place, then RELEASING → ABANDONED. A settlement that is SETTLED (another request committed it) is
     * left alone; one left RELEASING (the insured place not reached) is released again by {@link #releaseStale()}.
     */
    private void release(String setlId, Admdvs insured) {
        String state;
        try {
            state = deps.db().inTransaction("release settlement " + setlId, c ->
                    TreatmentStore.moveSettlement(c, setlId, "PENDING", "RELEASING", deps.clock().instant())
                            ? "RELEASING"
                            : TreatmentStore.settlement(c, setlId).map(Rows.Settlement::state).orElse("NONE"));
        } catch (RuntimeException e) {
            LOG.warn("Settlement {} not committed and not yet released ({}); it is released at the next turn", setlId,
                    e.getMessage());
            return;
        }
        if (!"RELEASING".equals(state)) {
            LOG.info("Settlement {} is {} (another request finished it): nothing to take back at {}", setlId, state, insured);
            return;
        }
        try {
            insuredPlace(insured).undo(insured, setlId, setlId);
            deps.db().inTransaction("abandon settlement " + setlId, c ->
                    TreatmentStore.moveSettlement(c, setlId, "RELEASING", "ABANDONED", deps.clock().instant()));
        } catch (RuntimeException e) {
            LOG.warn("Settlement {} not committed and not yet released at {} ({}); it is released when the link is back",
                    setlId, insured, e.getMessage());
        }
    }

    /**
     * This msgid's earlier settlement {@code old} taken back at the insured place, then the msgid settled anew — on
     * accumulators without the old one: while the insured place cannot be reached to take it back, nothing is settled.
     */
    private byte[] releasedThenAnew(Call call, Request r, boolean outpatient, Rows.Settlement old) {
        release(old.setlId(), old.insuredPlace());
        String state = deps.db().inTransaction("read settlement " + old.setlId(),
                c -> TreatmentStore.settlement(c, old.setlId()).map(Rows.Settlement::state).orElse("NONE"));
        if ("RELEASING".equals(state)) {
            throw HisRefusal.uncertain("settlement " + old.setlId() + " of this msgid is still being taken back "
                    + "at the insured province " + old.insuredPlace() + ", which cannot be reached now; nothing "
                    + "was settled: send the same request again later");
        }
        return settleAnew(call, r, outpatient, hospital(call), null, null, Optional.empty());
    }

    /**
     * A repeat of the msgid whose settlement is PENDING: finish it if the insured place applied it and the visit's
     * bill is the one it was computed on; computed anew on the bill as it is when the bill changed since.
     */
    private byte[] resume(Call call, Rows.Settlement s, Request r, boolean outpatient, Basis b) {
        if (s.feeVersion().isPresent() && s.feeVersion().getAsInt() != b.visit().feeVersion()) {
            // the visit's bill changed after this settlement was computed on it (a fee-detail message since): its
            // amounts are not the bill's, whatever was applied is taken back, and it is computed anew on the bill
            LOG.info("Settlement {} of visit {} was computed on an earlier bill (fee version {}, now {}): released "
                    + "and computed anew", s.setlId(), s.mdtrtId(), s.feeVersion().getAsInt(), b.visit().feeVersion());
            return releasedThenAnew(call, r, outpatient, s);
        }
        org.medsettle.api.settlement.Accumulators change = AccumulatorsJson.read(s.change());
        // the filing was checked when the settlement was computed; a repeat finishes what was applied then
        ApplyResult applied = apply(s, change, MedicalType.ofCode(s.medType()), null, b.visit().begin().toLocalDate());
        if (applied.outcome() == ApplyResult.Outcome.APPLIED) {
            SettlementOutcome outcome = new SettlementOutcome(s.amounts(), List.of(), List.of(), change, List::of);
            // the top-up decided when it was computed
            TopUpDecision topUp = new TopUpDecision(deps.db().inTransaction("read the top-up of settlement "
                    + s.setlId(), c -> SettlementTopUp.of(c, s.setlId())), "");
            return commit(call, s, outcome, b, Optional.empty(), topUp, "");
        }
        release(s.setlId(), s.insuredPlace());
        return settleAnew(call, r, outpatient, hospital(call), null, null, Optional.empty());
    }

    /**
     * Releases PENDING settlements older than {@link #PENDING_TIMEOUT}, and RELEASING ones whose release did not reach
     * the insured place; answers how many.
     */
    int releaseStale() {
        Instant limit = deps.clock().instant().minus(PENDING_TIMEOUT);
        List<Rows.Settlement> stale = deps.db().inTransaction("find pending settlements", c -> {
            List<Rows.Settlement> both = new java.util.ArrayList<>(TreatmentStore.settlementsInState(c, "PENDING"));
            both.addAll(TreatmentStore.settlementsInState(c, "RELEASING"));
            return both;
        });
        int released = 0;
        for (Rows.Settlement s : stale) {
            // a release that did not reach the insured place is tried again at once
            if ("RELEASING".equals(s.state()) || s.setlTime().atZone(Envelopes.CHINA).toInstant().isBefore(limit)) {
                release(s.setlId(), s.insuredPlace());
                released++;
            }
        }
        return released;
    }

    /** 2601 of a settlement: undo it at the insured place and here. */
    /** Settlement {@code s} read again after a conditional move of it found another state. */
    private static Rows.Settlement movedMeanwhile(Connection c, Rows.Settlement s) throws SQLException {
        Rows.Settlement now = TreatmentStore.settlement(c, s.setlId()).orElseThrow(() -> new IllegalStateException(
                "settlement " + s.setlId() + " is gone"));
        if (now.state().equals(s.state())) {
            throw new IllegalStateException("settlement " + s.setlId() + " is " + s.state() + " but could not be moved");
        }
        return now;
    }

    void correct(Connection c, Call call, Rows.Settlement s, Instant now) throws SQLException {
        Provisional.refuseIfNotApplied(c, s.setlId(), "input.data.omsgid", "corrected");
        // each move is conditional on the state read: a settlement another request moved meanwhile (reversed by a
        // 2305 through another instance, committed by its own 2304) is read again as that request committed it and
        // corrected as it is then (by the next conditional move) — a reversed one is not taken back a second time
        switch (s.state()) {
            case "SETTLED" -> {
                if (!TreatmentStore.moveSettlement(c, s.setlId(), "SETTLED", "CORRECTED", now)) {
                    correct(c, call, movedMeanwhile(c, s), now);
                    return;
                }
                deps.ledger().corrected(c, s.setlId());
                Rows.Visit v = TreatmentStore.visit(c, s.mdtrtId()).orElseThrow();
                TreatmentStore.moveVisit(c, s.mdtrtId(), "SETTLED", v.inpatient() ? "DISCHARGED" : "OPEN", null,
                        null, false, null, call.msgid(), now);
            }
            case "PENDING", "RELEASING" -> {
                if (!TreatmentStore.moveSettlement(c, s.setlId(), s.state(), "ABANDONED", now)) {
                    correct(c, call, movedMeanwhile(c, s), now);
                    return;
                }
            }
            default -> {
                return;
            }
        }
        try {
            insuredPlace(s.insuredPlace()).undo(s.insuredPlace(), s.setlId(), "C" + s.setlId());
        } catch (org.medsettle.api.maintenance.InMaintenanceException e) {
            // not asked: the insured province announced it is down (HisService answers until when)
            throw e;
        } catch (LinkUnavailableException e) {
            throw HisRefusal.uncertain("the insured province " + s.insuredPlace() + " could not be reached to undo "
                    + "settlement " + s.setlId() + "; nothing was corrected: send the correction again later");
        }
    }
}
