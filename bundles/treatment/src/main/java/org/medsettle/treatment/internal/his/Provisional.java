package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.maintenance.InMaintenanceException;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.support.json.AccumulatorsJson;

/**
 * Degraded settlement (暂记结算, issue 14): what a treatment node keeps so that it can settle while an insured province
 * is down, and the rules for doing so.
 *
 * <ul>
 *   <li><b>Settings</b> ({@code etc/org.medsettle.transactions.cfg}): per insured province that opted in, a risk limit
 *       {@code provisional.limit.<province> = <per settlement>/<in total>} (yuan of fund payment; no line: never
 *       provisional); {@code provisional.afterSeconds} (an insured province that has not answered for that long counts
 *       as down; announced maintenance counts at once); {@code provisional.keepDays};
 *       {@code provisional.applySeconds} (how often the queue is applied).</li>
 *   <li><b>Snapshots</b> (table {@code coverage_snapshot}): for persons of provinces that opted in, the coverage the
 *       insured province last answered (admission, registration, pre-settlement, settlement), with the accumulators
 *       after the settlements applied since.</li>
 *   <li><b>The queue</b> (table {@code provisional_settlement}): each provisional settlement, committed with the
 *       settlement, applied at the insured province in order when it is back ({@link ProvisionalApplier}).</li>
 * </ul>
 */
final class Provisional {

    static final String AFTER = "provisional.afterSeconds";
    static final String KEEP_DAYS = "provisional.keepDays";
    /** How often the queue is applied at the insured provinces that answer again (seconds, 1 to 3600; 10). */
    static final String APPLY_SECONDS = "provisional.applySeconds";
    static final String LIMIT = "provisional.limit.";
    private static final Pattern LIMIT_VALUE = Pattern.compile("\\s*(\\d{1,9}(?:\\.\\d{1,2})?)\\s*/\\s*(\\d{1,10}(?:\\.\\d{1,2})?)\\s*");

    /** A risk limit agreed with an insured province: fund payment per provisional settlement, and outstanding in total. */
    record Limit(Money perSettlement, Money total) {
    }

    /** The settings; {@link #OFF}: no province opted in. */
    record Settings(Duration after, Duration keep, Duration apply, Map<String, Limit> limits) {
        static final Settings OFF = new Settings(Duration.ofSeconds(60), Duration.ofDays(30), Duration.ofSeconds(10),
                Map.of());

        /** Reads them from the configuration; a wrong value is said ({@code warn}) and that province stays off. */
        static Settings of(Map<String, ?> properties, Consumer<String> warn) {
            long after = SettingValues.number(properties, AFTER, 60, 0, 86_400, warn);
            long keep = SettingValues.number(properties, KEEP_DAYS, 30, 1, 400, warn);
            long apply = SettingValues.number(properties, APPLY_SECONDS, 10, 1, 3600, warn);
            Map<String, Limit> limits = new TreeMap<>();
            for (Map.Entry<String, ?> e : properties.entrySet()) {
                if (!e.getKey().startsWith(LIMIT)) {
                    continue;
                }
                String province = e.getKey().substring(LIMIT.length());
                String value = String.valueOf(e.getValue());
                Matcher m = LIMIT_VALUE.matcher(value);
                if (!province.matches("\\d{2}0000") || "000000".equals(province)) {
                    warn.accept(e.getKey() + ": '" + province + "' is not a province's division code (e.g. 630000); "
                            + "ignored");
                } else if (!m.matches()) {
                    warn.accept(e.getKey() + " = '" + value + "' is not '<per settlement>/<in total>' in yuan (e.g. "
                            + "5000.00/200000.00); provisional settlement stays off for " + province);
                } else {
                    Money per = Money.ofYuan(new BigDecimal(m.group(1)));
                    Money total = Money.ofYuan(new BigDecimal(m.group(2)));
                    if (!per.isPositive() || per.compareTo(total) > 0) {
                        warn.accept(e.getKey() + " = '" + value + "': the amount per settlement must be above 0 and "
                                + "at most the total; provisional settlement stays off for " + province);
                    } else {
                        limits.put(province, new Limit(per, total));
                    }
                }
            }
            return new Settings(Duration.ofSeconds(after), Duration.ofDays(keep), Duration.ofSeconds(apply),
                    Map.copyOf(limits));
        }

        Optional<Limit> limit(Admdvs insured) {
            return Optional.ofNullable(limits.get(insured.province().code()));
        }
    }

    private final Deps deps;
    private volatile Settings settings = Settings.OFF;
    /** Since when an insured province has not answered (in memory: a restarted node counts anew). */
    private final Map<String, Instant> unreachableSince = new ConcurrentHashMap<>();
    /** One provisional commit at a time per insured province, so that its total limit holds on this instance. */

    Provisional(Deps deps) {
        this.deps = deps;
    }

    Settings settings() {
        return settings;
    }

    void configure(Settings s) {
        settings = s;
    }

    boolean optedIn(Admdvs insured) {
        return settings.limit(insured).isPresent();
    }


    /** The insured province answered. */
    void reached(Admdvs insured) {
        if (!unreachableSince.isEmpty()) {
            unreachableSince.remove(insured.province().code());
        }
    }

    /** The insured province did not answer an exchange: its silence is counted from now, if not before. */
    void failed(Admdvs insured) {
        if (optedIn(insured)) {
            unreachableSince.putIfAbsent(insured.province().code(), deps.clock().instant());
        }
    }

    /**
     * The insured province did not answer ({@code failure}): why a settlement may be made provisionally now, or empty
     * (the province did not opt in, or has not been silent for {@code provisional.afterSeconds} yet).
     */
    Optional<String> degradedBecause(Admdvs insured, LinkUnavailableException failure) {
        if (!optedIn(insured)) {
            return Optional.empty();
        }
        Instant now = deps.clock().instant();
        if (failure instanceof InMaintenanceException m) {
            return Optional.of("the insured province " + insured.province() + " is down for maintenance (停机公告) until "
                    + MaintenanceText.china(m.window().until()));
        }
        Instant since = unreachableSince.computeIfAbsent(insured.province().code(), k -> now);
        Duration silent = Duration.between(since, now);
        if (silent.compareTo(settings.after()) < 0) {
            return Optional.empty();
        }
        return Optional.of("the insured province " + insured.province() + " has not answered since "
                + MaintenanceText.china(since) + " (" + silent.toSeconds() + " s)");
    }

    // ---- snapshots

    /** What this node last knew of a person: the coverage (accumulators with this node's unapplied settlements added). */
    record Snapshot(Coverage coverage, Admdvs treatmentPlace, LocalDate admissionDate, Instant readAt) {
    }

    /** Keeps the coverage the insured province answered to {@code query}, unless a newer one is kept already. */
    void keep(Connection c, CoverageQuery query, Coverage cov, Instant now) throws SQLException {
        if (optedIn(query.insuredPlace())) {
            keep(c, query.insuredPlace(), query.treatmentPlace(), query.admissionDate(), cov, cov.version(),
                    cov.accumulators(), now);
        }
    }

    /** Keeps the coverage after a settlement computed from {@code cov} was applied there (its version {@code version}). */
    void keepApplied(Connection c, CoverageQuery query, Coverage cov, long version, Accumulators change, Instant now)
            throws SQLException {
        if (optedIn(query.insuredPlace())) {
            keep(c, query.insuredPlace(), query.treatmentPlace(), query.admissionDate(), cov, version,
                    cov.accumulators().plus(change), now);
        }
    }

    private static void keep(Connection c, Admdvs insured, Admdvs treatment, LocalDate admission, Coverage cov,
                             long version, Accumulators accumulators, Instant now) throws SQLException {
        Person p = cov.person();
        Object[] values = {insured.code(), p.name() == null ? "" : p.name(), p.gender() == null ? "" : p.gender(),
                p.birthDate() == null ? null : Date.valueOf(p.birthDate()), p.insuranceType().code(),
                p.personType().code(), p.assistance().code(), p.employer(), cov.filingId(), cov.category().name(),
                treatment.code(), Date.valueOf(admission), cov.year(), version, AccumulatorsJson.write(accumulators),
                Timestamp.from(now)};
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE coverage_snapshot SET insuplc_admdvs = ?, psn_name = ?, "
                + "gend = ?, brdy = ?, insutype = ?, psn_type = ?, assistance = ?, emp_name = ?, filing_id = ?, "
                + "filing_category = ?, mdtrtarea_admvs = ?, admission_date = ?, setl_year = ?, acc_version = ?, "
                + "accumulators = ?, read_at = ? WHERE psn_no = ? AND NOT (setl_year = ? AND acc_version > ?)")) {
            int i = set(ps, values);
            ps.setString(i++, p.psnNo());
            ps.setInt(i++, cov.year());
            ps.setLong(i, version);
            updated = ps.executeUpdate();
        }
        if (updated > 0) {
            return;
        }
        java.sql.Savepoint before = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coverage_snapshot (insuplc_admdvs, psn_name, gend, "
                + "brdy, insutype, psn_type, assistance, emp_name, filing_id, filing_category, mdtrtarea_admvs, "
                + "admission_date, setl_year, acc_version, accumulators, read_at, psn_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = set(ps, values);
            ps.setString(i, p.psnNo());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // a newer one is kept (or another request kept one meanwhile)
            c.rollback(before);
        }
    }

    private static int set(PreparedStatement ps, Object[] values) throws SQLException {
        int i = 1;
        for (Object v : values) {
            if (v == null) {
                ps.setNull(i++, java.sql.Types.DATE);
            } else {
                ps.setObject(i++, v);
            }
        }
        return i;
    }

    /**
     * The person as last known, if that was for a visit admitted on {@code admission} at this province in
     * {@code year}, with the changes of this node's provisional settlements of the person not yet applied added.
     */
    static Optional<Snapshot> snapshot(Connection c, Admdvs insured, String psnNo, Admdvs treatment, LocalDate admission,
                                       int year) throws SQLException {
        Snapshot s;
        try (PreparedStatement ps = c.prepareStatement("SELECT psn_name, gend, brdy, insutype, psn_type, assistance, "
                + "emp_name, filing_id, filing_category, mdtrtarea_admvs, admission_date, setl_year, acc_version, "
                + "accumulators, read_at FROM coverage_snapshot WHERE psn_no = ? AND insuplc_admdvs = ?")) {
            ps.setString(1, psnNo);
            ps.setString(2, insured.code());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (rs.getInt(12) != year || !admission.equals(rs.getDate(11).toLocalDate())
                        || !treatment.sameProvinceAs(Admdvs.of(rs.getString(10)))) {
                    return Optional.empty();
                }
                Person person = new Person(psnNo, "", rs.getString(1), rs.getString(2),
                        rs.getDate(3) == null ? null : rs.getDate(3).toLocalDate(), InsuranceType.ofCode(rs.getString(4)),
                        PersonType.ofCode(rs.getString(5)), Assistance.ofCode(rs.getString(6)), insured,
                        rs.getString(7));
                Coverage cov = new Coverage(person, rs.getString(8), FilingCategory.valueOf(rs.getString(9)), year,
                        rs.getLong(13), AccumulatorsJson.read(rs.getString(14)));
                s = new Snapshot(cov, Admdvs.of(rs.getString(10)), admission, rs.getTimestamp(15).toInstant());
            }
        }
        Accumulators acc = s.coverage().accumulators();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.change_data FROM provisional_settlement p JOIN "
                + "settlement t ON t.setl_id = p.setl_id WHERE p.psn_no = ? AND p.setl_year = ? AND p.state IN "
                + "('QUEUED', 'APPLYING') ORDER BY p.seq")) {
            ps.setString(1, psnNo);
            ps.setInt(2, year);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    acc = acc.plus(AccumulatorsJson.read(rs.getString(1)));
                }
            }
        }
        Coverage c0 = s.coverage();
        return Optional.of(new Snapshot(new Coverage(c0.person(), c0.filingId(), c0.category(), c0.year(),
                c0.version(), acc), s.treatmentPlace(), s.admissionDate(), s.readAt()));
    }

    /** Forgets snapshots not read again for {@code provisional.keepDays} whose person has nothing queued. */
    int prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM coverage_snapshot WHERE read_at < ? AND NOT EXISTS "
                + "(SELECT 1 FROM provisional_settlement p WHERE p.psn_no = coverage_snapshot.psn_no AND p.state IN "
                + "('QUEUED', 'APPLYING'))")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(settings.keep())));
            return ps.executeUpdate();
        }
    }

    // ---- the queue

    /** Fund payment of the provisional settlements of {@code insured} not yet applied there. */
    static Money outstanding(Connection c, Admdvs insured) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(fund_pay_sumamt), 0) FROM "
                + "provisional_settlement WHERE insuplc_admdvs = ? AND state IN ('QUEUED', 'APPLYING')")) {
            ps.setString(1, insured.code());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Money.ofYuan(rs.getBigDecimal(1));
            }
        }
    }

    /**
     * Locks the row of {@code insured} in {@code provisional_limit_lock} until the transaction of {@code c} ends (an
     * update; the row is inserted by the first provisional settlement for the province).
     */
    private void lockProvince(Connection c, Admdvs insured) throws SQLException {
        Timestamp now = Timestamp.from(deps.clock().instant());
        if (touch(c, insured, now) == 1) {
            return;
        }
        java.sql.Savepoint before = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO provisional_limit_lock (insuplc_admdvs, locked_at) "
                + "VALUES (?, ?)")) {
            ps.setString(1, insured.province().code());
            ps.setTimestamp(2, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // inserted by another commit meanwhile: wait for its lock like any other
            c.rollback(before);
            touch(c, insured, now);
        }
    }

    private static int touch(Connection c, Admdvs insured, Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_limit_lock SET locked_at = ? "
                + "WHERE insuplc_admdvs = ?")) {
            ps.setTimestamp(1, now);
            ps.setString(2, insured.province().code());
            return ps.executeUpdate();
        }
    }

    /** Refused (-1 with the reason) if settling {@code fundPay} provisionally would pass the limit of {@code insured}. */
    void checkLimit(Connection c, Admdvs insured, Money fundPay) throws SQLException {
        Limit limit = settings.limit(insured).orElseThrow(() -> HisRefusal.uncertain("provisional settlement for "
                + insured.province() + " was switched off meanwhile; nothing was settled: settle again when "
                + insured.province() + " answers"));
        if (fundPay.compareTo(limit.perSettlement()) > 0) {
            throw HisRefusal.uncertain("the insured province " + insured.province() + " does not answer, and this "
                    + "settlement's fund payment " + fundPay + " is above the " + limit.perSettlement() + " a provisional "
                    + "settlement (暂记结算) may carry for it; nothing was settled: send the same request (same msgid) "
                    + "again when " + insured.province() + " answers");
        }
        // the province's row first: commits for it wait for each other here, on every instance sharing the database,
        // so that the sum below includes what the one before committed
        lockProvince(c, insured);
        Money out = outstanding(c, insured);
        if (out.plus(fundPay).compareTo(limit.total()) > 0) {
            throw HisRefusal.uncertain("the insured province " + insured.province() + " does not answer, and its "
                    + "provisional settlements (暂记结算) not yet applied already carry " + out + " of fund payment "
                    + "(limit " + limit.total() + "); nothing was settled: send the same request (same msgid) again "
                    + "when " + insured.province() + " answers");
        }
    }

    /** Queues settlement {@code s} (in the transaction that commits it), to be applied at its insured province. */
    static void queue(Connection c, Rows.Settlement s, long seq, String reason, Instant basisReadAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO provisional_settlement (setl_id, seq, insuplc_admdvs, "
                + "psn_no, mdtrt_id, setl_year, fund_pay_sumamt, reason, basis_read_at, state, queued_at, attempts) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, 0)")) {
            ps.setString(1, s.setlId());
            ps.setLong(2, seq);
            ps.setString(3, s.insuredPlace().code());
            ps.setString(4, s.psnNo());
            ps.setString(5, s.mdtrtId());
            ps.setInt(6, s.year());
            ps.setBigDecimal(7, s.amounts().fundPaySumamt().toYuan());
            ps.setString(8, reason.length() > 300 ? reason.substring(0, 300) : reason);
            ps.setTimestamp(9, Timestamp.from(basisReadAt));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** The state of settlement {@code setlId} in the queue (QUEUED, APPLYING, APPLIED, CASE), if it was provisional. */
    static Optional<String> state(Connection c, String setlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM provisional_settlement WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Refused if settlement {@code setlId} is provisional and not yet applied at its insured province. */
    static void refuseIfNotApplied(Connection c, String setlId, String at, String what) throws SQLException {
        Optional<String> state = state(c, setlId);
        if (state.isPresent() && ("QUEUED".equals(state.get()) || "APPLYING".equals(state.get()))) {
            throw HisRefusal.uncertain(at + ": settlement " + setlId + " was made provisionally (暂记结算) while its "
                    + "insured province was down and is not applied there yet; it can be " + what + " once it is: send "
                    + "the same request (same msgid) again later (medsettle:provisional-list shows it)");
        }
    }

    /** The amounts that move money, by their national names, in fen; the balance after is left out. */
    static Map<String, Long> moneyOf(SettlementAmounts a) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("medfee_sumamt", a.medfeeSumamt().fen());
        m.put("fulamt_ownpay_amt", a.fulamtOwnpayAmt().fen());
        m.put("overlmt_selfpay", a.overlmtSelfpay().fen());
        m.put("preselfpay_amt", a.preselfpayAmt().fen());
        m.put("inscp_scp_amt", a.inscpScpAmt().fen());
        m.put("act_pay_dedc", a.actPayDedc().fen());
        m.put("hifp_pay", a.hifpPay().fen());
        m.put("cvlserv_pay", a.cvlservPay().fen());
        m.put("hifes_pay", a.hifesPay().fen());
        m.put("hifmi_pay", a.hifmiPay().fen());
        m.put("hifob_pay", a.hifobPay().fen());
        m.put("maf_pay", a.mafPay().fen());
        m.put("oth_pay", a.othPay().fen());
        m.put("fund_pay_sumamt", a.fundPaySumamt().fen());
        m.put("acct_pay", a.acctPay().fen());
        m.put("psn_cash_pay", a.psnCashPay().fen());
        return m;
    }

    /** {@code field told → computed (difference)} for every amount that differs; empty if none does. */
    static List<String> differences(SettlementAmounts told, SettlementAmounts computed) {
        Map<String, Long> a = moneyOf(told);
        Map<String, Long> b = moneyOf(computed);
        List<String> out = new ArrayList<>();
        a.forEach((k, v) -> {
            long w = b.get(k);
            if (v != w) {
                out.add(k + " " + Money.ofFen(v) + " → " + Money.ofFen(w) + " (" + (w > v ? "+" : "")
                        + Money.ofFen(w - v) + ")");
            }
        });
        return out;
    }

    static String amountsText(SettlementAmounts a) {
        StringBuilder sb = new StringBuilder();
        moneyOf(a).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(Money.ofFen(v)));
        return sb.toString();
    }
}
