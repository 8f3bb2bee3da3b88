package org.medsettle.insured.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.CoverageRefusedException;
import org.medsettle.api.insured.InsuredLedger;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.insured.UndoResult;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.model.Filing;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.Person;
import org.medsettle.api.person.PersonRegistry;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.medsettle.support.json.AccumulatorsJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The insured-place role (参保地) of this node for its own insured persons: look-ups, the filing check, the
 * accumulators and the account balance, and the settlements made for them anywhere (table
 * {@code insured_settlement}, one row per {@code setl_id}: applied once).
 *
 * <p>The person's running account is this service's own table, {@code person_account} (balance and version; the
 * person registry owns {@code person}, whose {@code acct_balc} is what the person was imported with): a person
 * without a row has that balance and version 0, and gets a row before the first change.
 *
 * <p>Versioned updates: every change to a person's accumulators or balance increments
 * {@code person_account.acc_version} in the same transaction, guarded by the version the settlement was computed
 * from. Of two settlements racing for the same person, the second finds the version moved and recomputes.
 */
@Component(service = {InsuredPlace.class, InsuredLedger.class}, property = "medsettle.insured=local")
public class LocalInsuredPlace implements InsuredPlace, InsuredLedger {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInsuredPlace.class);

    private final Transactor db;
    private final PersonRegistry persons;
    private final FilingRegistry filings;
    private final InstanceIdentity identity;
    private final AuditLog audit;
    private final Ledger ledger;
    private final Clock clock;

    @Activate
    public LocalInsuredPlace(@Reference Transactor db, @Reference PersonRegistry persons,
                             @Reference FilingRegistry filings, @Reference InstanceIdentity identity,
                             @Reference AuditLog audit, @Reference Ledger ledger,
                             // this bundle's own tables (insured_top_up): an undo cancels the settlement's top-up
                             @Reference(target = "(owner=medsettle-insured)") org.medsettle.api.store.SchemaReady schema) {
        this(db, persons, filings, identity, audit, ledger, org.medsettle.api.BusinessClock.system());
    }

    public LocalInsuredPlace(Transactor db, PersonRegistry persons, FilingRegistry filings, InstanceIdentity identity,
                             AuditLog audit, Ledger ledger, Clock clock) {
        this.db = db;
        this.persons = persons;
        this.filings = filings;
        this.identity = identity;
        this.audit = audit;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public Optional<InsuredPerson> person(PersonQuery query) {
        if (query.insuredPlace().isPresent() && !query.insuredPlace().get().sameProvinceAs(identity.admdvs())) {
            return Optional.empty();
        }
        Optional<Person> person = query.psnNo().flatMap(persons::byPsnNo).or(() -> query.certno().flatMap(persons::byCertno));
        return person.map(p -> new InsuredPerson(p, db.inTransaction("read the account of a person",
                c -> balance(c, p.psnNo()))));
    }

    @Override
    public Coverage coverage(CoverageQuery query) {
        Admdvs home = identity.admdvs();
        if (!query.insuredPlace().sameProvinceAs(home)) {
            throw new CoverageRefusedException("insuplc_admdvs: " + query.insuredPlace() + " is not served by this node ("
                    + home + ")");
        }
        int year = query.settlementDate().getYear();
        // the person, the filing and the accumulators in one read transaction (issue 15: twice per stay, at the
        // admission and the pre-settlement); an emergency's filing, which is written, in its own afterwards
        Read read = db.inTransaction("read the coverage of a person", c -> {
            Person person = persons.byPsnNo(c, query.psnNo()).orElseThrow(() -> new CoverageRefusedException(
                    "psn_no: no person insured in " + home.province() + " has number " + query.psnNo()));
            Optional<Filing> filing = filings.covering(c, query.psnNo(), query.treatmentPlace(), query.admissionDate());
            if (filing.isEmpty() && query.medicalType() == MedicalType.EMERGENCY_OUTPATIENT) {
                return new Read(person, Optional.empty());
            }
            if (filing.isEmpty()) {
                throw new CoverageRefusedException("no filing (备案) at the insured place " + home.province()
                        + " covers the admission on " + query.admissionDate() + " for treatment in "
                        + query.treatmentPlace().province() + ": the patient or family can file now, before the "
                        + "discharge settlement (出院结算前补办), and the hospital settles again");
            }
            return new Read(person, Optional.of(coverage(c, person, filing.get(), year)));
        });
        if (read.coverage().isPresent()) {
            return read.coverage().get();
        }
        Filing f = query.recordEmergency()
                ? filings.emergency(query.psnNo(), query.treatmentPlace(), query.admissionDate(),
                new Actor(query.treatmentPlace().code(), AuditChannel.LINK))
                : new Filing("EMERGENCY", query.psnNo(), org.medsettle.api.model.FilingCategory.EMERGENCY,
                query.treatmentPlace(), query.admissionDate(), Optional.of(query.admissionDate()),
                org.medsettle.api.model.FilingState.ACTIVE);
        return db.inTransaction("read the accumulators of a person", c -> coverage(c, read.person(), f, year));
    }

    /** The person and, unless an emergency's filing is still to be recorded, their coverage. */
    private record Read(Person person, Optional<Coverage> coverage) {
    }

    private static Coverage coverage(Connection c, Person person, Filing filing, int year) throws SQLException {
        State state = state(c, person.psnNo(), year);
        return new Coverage(person, filing.filingId(), filing.category(), year, state.version, state.accumulators);
    }

    private record State(long version, Accumulators accumulators) {
    }

    /** A person's account: the running balance and version, or, before the first change, the imported balance and 0. */
    private record Account(long version, Money balance) {
    }

    private static Optional<Account> account(Connection c, String psnNo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.acct_balc, a.acct_balc, a.acc_version FROM person p "
                + "LEFT JOIN person_account a ON a.psn_no = p.psn_no WHERE p.psn_no = ?")) {
            ps.setString(1, psnNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                BigDecimal running = rs.getBigDecimal(2);
                return Optional.of(running == null ? new Account(0, Money.ofYuan(rs.getBigDecimal(1)))
                        : new Account(rs.getLong(3), Money.ofYuan(running)));
            }
        }
    }

    /**
     * Gives the person a {@code person_account} row (the imported balance, version 0), in a transaction of its own
     * before their first change, so that the change itself is a versioned update of an existing row (two racing
     * changes then meet on the row's lock, as before). Two first changes racing here: one inserts, the other finds
     * the row.
     */
    private void openAccount(String psnNo) {
        db.inTransaction("open the account of a person", c -> {
            // a savepoint: on PostgreSQL a failed statement aborts the whole transaction unless rolled back to one
            java.sql.Savepoint before = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO person_account (psn_no, acct_balc, acc_version, "
                    + "updated_at) SELECT psn_no, acct_balc, 0, ? FROM person p WHERE psn_no = ? AND NOT EXISTS "
                    + "(SELECT 1 FROM person_account a WHERE a.psn_no = p.psn_no)")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, psnNo);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
                c.rollback(before);
                // another change opened it meanwhile
            }
            return null;
        });
    }

    private static State state(Connection c, String psnNo, int year) throws SQLException {
        Account account = account(c, psnNo).orElseThrow(() ->
                new CoverageRefusedException("psn_no: no person " + psnNo + " at the insured place"));
        long version = account.version();
        Money balance = account.balance();
        Accumulators year0 = yearAccumulators(c, psnNo, year).orElse(Accumulators.opening(Money.ZERO));
        return new State(version, new Accumulators(year0.pools(), year0.inpatientAdmissions(), year0.layers(),
                year0.assistancePaid(), balance));
    }

    private static Optional<Accumulators> yearAccumulators(Connection c, String psnNo, int year) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM accumulator WHERE psn_no = ? AND setl_year = ?")) {
            ps.setString(1, psnNo);
            ps.setInt(2, year);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(AccumulatorsJson.read(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** Adds {@code change} (balance excluded) to the person's accumulators of {@code year}. */
    private static void addToYear(Connection c, String psnNo, int year, Accumulators change, Instant now)
            throws SQLException {
        Accumulators withoutBalance = new Accumulators(change.pools(), change.inpatientAdmissions(), change.layers(),
                change.assistancePaid(), Money.ZERO);
        Optional<Accumulators> old = yearAccumulators(c, psnNo, year);
        String data = AccumulatorsJson.write(old.map(o -> o.plus(withoutBalance)).orElse(withoutBalance));
        try (PreparedStatement ps = c.prepareStatement(old.isPresent()
                ? "UPDATE accumulator SET data = ?, updated_at = ? WHERE psn_no = ? AND setl_year = ?"
                : "INSERT INTO accumulator (data, updated_at, psn_no, setl_year) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, data);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, psnNo);
            ps.setInt(4, year);
            ps.executeUpdate();
        }
    }

    @Override
    public ApplyResult apply(ApplyRequest r) {
        if (!r.insuredPlace().sameProvinceAs(identity.admdvs())) {
            return ApplyResult.refused("insuplc_admdvs: " + r.insuredPlace() + " is not served by this node");
        }
        Instant now = clock.instant();
        ApplyResult result = applyOnce(r, now);
        if (result == null) {
            // the person's first change: the account row is opened on its own, then the change is a versioned update
            openAccount(r.psnNo());
            result = applyOnce(r, now);
            if (result == null) {
                throw new IllegalStateException("person " + r.psnNo() + " has no account although it was just opened");
            }
        }
        if (result.outcome() == ApplyResult.Outcome.APPLIED) {
            LOG.debug("Settlement {} applied for {}", r.setlId(), r.psnNo());
        } else if (result.outcome() == ApplyResult.Outcome.CONFLICT) {
            LOG.debug("Settlement {} for {} computed from version {}, now {}: recompute", r.setlId(), r.psnNo(),
                    r.expectedVersion(), result.version());
        }
        return result;
    }

    /**
     * {@link #applyIn} in a transaction of its own; if its row turned out to be there already (a settlement taken back
     * before it arrived, or the same one applied meanwhile by a repeat), rolled back whole and answered as known.
     */
    private ApplyResult applyOnce(ApplyRequest r, Instant now) {
        try {
            return db.inTransaction("apply settlement " + r.setlId(), c -> applyIn(c, r, now));
        } catch (AlreadyKnown known) {
            return db.inTransaction("read settlement " + r.setlId(), c -> known(c, r).orElseThrow(() ->
                    new IllegalStateException("settlement " + r.setlId() + " was there when applied, and is not now")));
        }
    }

    /** Thrown in {@link #applyIn} to roll back its changes when the settlement's row is there already. */
    private static final class AlreadyKnown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyKnown() {
            super(null, null, false, false);
        }
    }

    /**
     * The change of one settlement in the transaction of {@code c}: null if the person has no account row yet (the
     * caller opens it and comes again), before anything was written. A settlement this node has a row of already (a
     * repeat of one applied, or one taken back before it arrived) is looked up only where the change cannot be made
     * as asked — its account version has moved since (an applied one moved it), its basis changed, or its row is
     * there when written ({@link AlreadyKnown}: the undone one's marker) — not before every apply.
     */
    private ApplyResult applyIn(Connection c, ApplyRequest r, Instant now) throws SQLException {
        if (!basisInForce(c, r)) {
            Optional<ApplyResult> known = known(c, r);
            return known.isPresent() ? known.get() : ApplyResult.conflict(state(c, r.psnNo(), r.year()).version);
        }
        Money balanceChange = r.change().accountBalance();
        try (PreparedStatement ps = c.prepareStatement("UPDATE person_account SET acc_version = acc_version + 1, "
                + "acct_balc = acct_balc + ?, updated_at = ? WHERE psn_no = ? AND acc_version = ? AND acct_balc + ? >= 0")) {
            ps.setBigDecimal(1, balanceChange.toYuan());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, r.psnNo());
            ps.setLong(4, r.expectedVersion());
            ps.setBigDecimal(5, balanceChange.toYuan());
            if (ps.executeUpdate() == 0) {
                // applied already (which moved the version), no account yet (the person's first change), or the version
                // moved / the balance would go negative
                Optional<ApplyResult> known = known(c, r);
                if (known.isPresent()) {
                    return known.get();
                }
                return hasAccount(c, r.psnNo()) ? ApplyResult.conflict(state(c, r.psnNo(), r.year()).version) : null;
            }
        }
        addToYear(c, r.psnNo(), r.year(), r.change(), now);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_settlement (setl_id, psn_no, mdtrt_id, "
                + "mdtrtarea_admvs, fixmedins_code, med_type, setl_time, setl_year, state, change_data, "
                + "medfee_sumamt, fund_pay_sumamt, hifp_pay, hifmi_pay, hifob_pay, maf_pay, acct_pay, psn_cash_pay, "
                + "applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'APPLIED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            ps.setString(i++, r.setlId());
            ps.setString(i++, r.psnNo());
            ps.setString(i++, r.mdtrtId());
            ps.setString(i++, r.treatmentPlace().code());
            ps.setString(i++, r.fixmedinsCode());
            ps.setString(i++, r.medicalType().code());
            ps.setTimestamp(i++, Timestamp.valueOf(r.setlTime()));
            ps.setInt(i++, r.year());
            ps.setString(i++, AccumulatorsJson.write(r.change()));
            for (Money m : new Money[] {r.amounts().medfeeSumamt(), r.amounts().fundPaySumamt(), r.amounts().hifpPay(),
                    r.amounts().hifmiPay(), r.amounts().hifobPay(), r.amounts().mafPay(), r.amounts().acctPay(),
                    r.amounts().psnCashPay()}) {
                ps.setBigDecimal(i++, m.toYuan());
            }
            ps.setTimestamp(i, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                // its row is there: taken back before it arrived (the account untouched by that), or applied by a
                // repeat that committed first
                throw new AlreadyKnown();
            }
            throw e;
        }
        // its ledger entries (per fund, what the fund paid against what is owed to the treatment province), in the
        // same transaction
        Optional<Posting> posting = Posting.atInsuredPlace(Posting.APPLIED, r.setlId(), r.treatmentPlace(), r.amounts());
        if (posting.isPresent()) {
            ledger.post(c, posting.get());
        }
        audit.append(c, new AuditEvent(now, r.treatmentPlace().code(), AuditChannel.LINK,
                "INSURED_SETTLEMENT_APPLIED", r.setlId(), "person " + r.psnNo() + ", visit " + r.mdtrtId() + " at "
                + r.fixmedinsCode() + ", fund " + r.amounts().fundPaySumamt() + ", account " + r.amounts().acctPay()));
        return ApplyResult.applied(r.expectedVersion() + 1);
    }

    /**
     * Whether what the settlement was computed from still holds, read in the apply's own transaction: the filing it
     * was computed under is still in force (a treatment node may have kept the coverage of the pre-settlement), and
     * the person still settles as computed for (a new extract may have changed the person type meanwhile; checked
     * only when the request names the person). If not, the treatment node recomputes with a fresh coverage.
     */
    private boolean basisInForce(Connection c, ApplyRequest r) throws SQLException {
        boolean filingInForce = r.filingId() == null || filings.filing(c, r.filingId())
                .filter(f -> f.treatmentPlace().sameProvinceAs(r.treatmentPlace()) && f.covers(r.admissionDate()))
                .isPresent();
        if (!filingInForce) {
            return false;
        }
        if (r.person() != null && !r.settlesAs(persons.byPsnNo(c, r.psnNo()).orElse(null))) {
            LOG.info("Settlement {} for {} was computed for the person as they were before this node's record changed "
                    + "(insurance type, person type, assistance or birth date): the treatment node recomputes",
                    r.setlId(), r.psnNo());
            return false;
        }
        return true;
    }

    private static boolean hasAccount(Connection c, String psnNo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM person_account WHERE psn_no = ?")) {
            ps.setString(1, psnNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * What a settlement this node has a row of already is answered: refused if it was taken back before it arrived,
     * else applied (a repeat), with the account's version now; empty if it has no row.
     */
    private static Optional<ApplyResult> known(Connection c, ApplyRequest r) throws SQLException {
        Optional<String> state = settlementState(c, r.setlId());
        if (state.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("UNDONE".equals(state.get())
                ? ApplyResult.refused("settlement " + r.setlId() + " was released or reversed before it arrived")
                : ApplyResult.applied(state(c, r.psnNo(), r.year()).version));
    }

    private static Optional<String> settlementState(Connection c, String setlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM insured_settlement WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void confirm(Admdvs insuredPlace, String setlId) {
        int rows = db.inTransaction("confirm settlement " + setlId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE insured_settlement SET state = 'CONFIRMED', "
                    + "confirmed_at = ? WHERE setl_id = ? AND state = 'APPLIED'")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, setlId);
                return ps.executeUpdate();
            }
        });
        if (rows == 0) {
            LOG.debug("Confirmation of settlement {} changed nothing (already confirmed, undone or unknown)", setlId);
        }
    }

    /** One transaction for all: the notices of an outbox batch. */
    @Override
    public void confirm(Admdvs insuredPlace, List<String> setlIds) {
        if (setlIds.isEmpty()) {
            return;
        }
        int[] rows = db.inTransaction("confirm " + setlIds.size() + " settlements", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE insured_settlement SET state = 'CONFIRMED', "
                    + "confirmed_at = ? WHERE setl_id = ? AND state = 'APPLIED'")) {
                Timestamp now = Timestamp.from(clock.instant());
                for (String setlId : setlIds) {
                    ps.setTimestamp(1, now);
                    ps.setString(2, setlId);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
        long unchanged = java.util.Arrays.stream(rows).filter(r -> r == 0).count();
        if (unchanged > 0) {
            LOG.debug("{} of {} confirmations changed nothing (already confirmed, undone or unknown)", unchanged,
                    setlIds.size());
        }
    }

    @Override
    public UndoResult undo(Admdvs insuredPlace, String setlId, String undoId) {
        Instant now = clock.instant();
        try {
            return db.inTransaction("undo settlement " + setlId, c -> undoIn(c, setlId, undoId, now));
        } catch (AlreadyKnown known) {
            // another undo of a settlement never applied here wrote its marker first: answered as that one is
            return db.inTransaction("undo settlement " + setlId, c -> undoIn(c, setlId, undoId, now));
        }
    }

    /**
     * The undo of one settlement in the transaction of {@code c}. The settlement's row is taken first, by the update
     * that marks it undone only if it is applied: of two undos at once (two reversals of one settlement, through two
     * instances of the treatment province, or a reversal and a release), the second waits for the first's row lock
     * and then finds it undone — it neither takes the account back twice nor fails on the first's ledger posting.
     */
    private UndoResult undoIn(Connection c, String setlId, String undoId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE insured_settlement SET state = 'UNDONE', undo_id = ?, "
                + "undone_at = ? WHERE setl_id = ? AND state IN ('APPLIED', 'CONFIRMED')")) {
            ps.setString(1, undoId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, setlId);
            if (ps.executeUpdate() == 0) {
                return undoneAlready(c, setlId, undoId, now);
            }
        }
        String psnNo;
        int year;
        String changeData;
        try (PreparedStatement ps = c.prepareStatement("SELECT psn_no, setl_year, change_data FROM insured_settlement "
                + "WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("settlement " + setlId + " was marked undone and is not there");
                }
                psnNo = rs.getString(1);
                year = rs.getInt(2);
                changeData = rs.getString(3);
            }
        }
        Accumulators back = AccumulatorsJson.read(changeData).negate();
        try (PreparedStatement ps = c.prepareStatement("UPDATE person_account SET acc_version = acc_version + 1, "
                + "acct_balc = acct_balc + ?, updated_at = ? WHERE psn_no = ?")) {
            ps.setBigDecimal(1, back.accountBalance().toYuan());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, psnNo);
            if (ps.executeUpdate() == 0) {
                // an applied settlement moved the account, so the row exists (V11 moved every changed one)
                throw new IllegalStateException("settlement " + setlId + " was applied but person " + psnNo
                        + " has no account to take it back from");
            }
        }
        addToYear(c, psnNo, year, back, now);
        Optional<Posting> applied = ledger.posted(c, Posting.APPLIED, setlId);
        if (applied.isPresent()) {
            ledger.post(c, applied.get().opposite(Posting.UNDONE));
        }
        // its top-up of the treatment difference (待遇补差): not owed any more
        TopUpBook.settlementUndone(c, ledger, audit, setlId, now);
        audit.append(c, new AuditEvent(now, "link", AuditChannel.LINK, "INSURED_SETTLEMENT_UNDONE", setlId,
                "by " + undoId));
        return new UndoResult(true, balance(c, psnNo));
    }

    /**
     * An undo of a settlement not applied here (now): never applied — a marker is written, so that a late apply of it
     * is refused ({@link AlreadyKnown} if another undo wrote it first) — or undone already: the same answer to the
     * same undo, refused to another.
     */
    private UndoResult undoneAlready(Connection c, String setlId, String undoId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT psn_no, state, undo_id FROM insured_settlement "
                + "WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String psnNo = rs.getString(1);
                    String state = rs.getString(2);
                    String doneBy = rs.getString(3);
                    if (!"UNDONE".equals(state)) {
                        throw new IllegalStateException("settlement " + setlId + " is " + state + ": not undone");
                    }
                    if (!undoId.equals(doneBy)) {
                        throw new CoverageRefusedException("settlement " + setlId + " was already reversed (" + doneBy
                                + ")");
                    }
                    return psnNo.isEmpty() ? new UndoResult(false, Money.ZERO) : new UndoResult(true, balance(c, psnNo));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_settlement (setl_id, psn_no, "
                + "mdtrt_id, mdtrtarea_admvs, fixmedins_code, med_type, setl_time, setl_year, state, change_data, "
                + "medfee_sumamt, fund_pay_sumamt, hifp_pay, hifmi_pay, hifob_pay, maf_pay, acct_pay, "
                + "psn_cash_pay, undo_id, applied_at, undone_at) VALUES (?, '', '', '000000', '', '00', ?, 0, "
                + "'UNDONE', '{}', 0, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?)")) {
            ps.setString(1, setlId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, undoId);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AlreadyKnown();
            }
            throw e;
        }
        return new UndoResult(false, Money.ZERO);
    }

    /** The person's balance now (the running one, or the imported one before the first change); zero if unknown. */
    private static Money balance(Connection c, String psnNo) throws SQLException {
        return account(c, psnNo).map(Account::balance).orElse(Money.ZERO);
    }

    @Override
    public Accumulators accumulators(String psnNo, int year) {
        return db.inTransaction("read the accumulators of a person", c -> state(c, psnNo, year).accumulators);
    }

    @Override
    public java.util.List<Applied> settlements(String psnNo, int limit) {
        return db.inTransaction("read the settlements of a person", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setl_id, mdtrtarea_admvs, fixmedins_code, med_type, "
                    + "setl_year, state, medfee_sumamt, fund_pay_sumamt, acct_pay, applied_at FROM insured_settlement "
                    + "WHERE psn_no = ? ORDER BY applied_at DESC FETCH FIRST " + Math.max(1, Math.min(limit, 1000))
                    + " ROWS ONLY")) {
                ps.setString(1, psnNo);
                java.util.List<Applied> list = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Applied(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getString(6), Money.ofYuan(rs.getBigDecimal(7)),
                                Money.ofYuan(rs.getBigDecimal(8)), Money.ofYuan(rs.getBigDecimal(9)),
                                rs.getTimestamp(10).toInstant()));
                    }
                }
                return list;
            }
        });
    }
}
