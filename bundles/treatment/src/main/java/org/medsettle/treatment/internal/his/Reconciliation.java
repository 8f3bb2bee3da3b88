package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;

/**
 * A hospital reconciles with its node (对账, funds.md): {@code 3201} the totals of its settlements over one or more
 * days ({@code stmt_begndate} to {@code stmt_enddate}, at most {@value #MAX_DAYS} days, by settlement time in China)
 * for one insurance type, clearing type ({@code clr_type}: {@code 21} inpatient, {@code 11} outpatient, as in
 * {@code setlinfo}) and clearing agency ({@code setl_optins}: the insured place, {@code clr_optins} in
 * {@code setlinfo}); {@code 3202} line by line, the hospital's list of one day's settlements against the node's. What
 * counts: every settlement and every reversal the node committed for the hospital ({@code SETTLED} or
 * {@code REVERSED}; a reversal is a line of its own with negated amounts, so a settled and reversed stay nets to
 * zero but counts two); a settlement undone by a correction (2601) or never finished does not count. Read only.
 * {@code 3202} takes {@code data{stmt_date}} and {@code detail[{setl_id, medfee_sumamt, fund_pay_sumamt, acct_pay}]}
 * (empty for a day without settlements) and answers {@code stmtinfo{stmt_date, stmt_rslt, stmt_rslt_dscr,
 * node_setl_cnt, hosp_setl_cnt}} and {@code diff[{setl_id, diff_type, node_…, hosp_…}]}, {@code diff_type}
 * {@code node_only} (the hospital did not list it), {@code hospital_only} (the node has no such settlement that day)
 * or {@code amounts_differ}.
 */
final class Reconciliation {

    static final int MAX_DAYS = 31;
    static final int MAX_LINES = 20_000;
    private static final Pattern COUNT = Pattern.compile("\\d{1,9}");

    private final Deps deps;
    private final Envelopes envelopes;

    Reconciliation(Deps deps, Envelopes envelopes) {
        this.deps = deps;
        this.envelopes = envelopes;
    }

    /** The node's figures of a set of settlements. */
    private record Totals(long count, Money medfee, Money fund, Money acct) {
    }

    /** One settlement's amounts, as one side has them. */
    private record Line(Money medfee, Money fund, Money acct) {
    }

    private LocalDate today() {
        return LocalDate.now(deps.clock().withZone(Envelopes.CHINA));
    }

    /** 3201 total reconciliation (对总账). */
    byte[] totals(Call call) {
        Input data = call.input().object("data");
        String insutype = data.oneOf("insutype", "310", "390");
        String clrType = data.oneOf("clr_type", "11", "21");
        Admdvs optins = data.provinceAdmdvs("setl_optins");
        LocalDate from = data.date("stmt_begndate");
        LocalDate to = data.date("stmt_enddate");
        period(data, from, to, "stmt_begndate", "stmt_enddate");
        Money medfee = data.money("medfee_sumamt");
        Money fund = data.money("fund_pay_sumamt");
        Money acct = data.money("acct_pay");
        long count = count(data, "fixmedins_setl_cnt");
        Totals node = deps.db().inTransaction("reconcile the totals of " + call.hospital().code(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(medfee_sumamt), 0), "
                    + "COALESCE(SUM(fund_pay_sumamt), 0), COALESCE(SUM(acct_pay), 0) FROM settlement WHERE "
                    + "fixmedins_code = ? AND insutype = ? AND insuplc_admdvs = ? AND state IN ('SETTLED', 'REVERSED') "
                    + "AND setl_time >= ? AND setl_time < ? AND " + ("21".equals(clrType) ? "med_type = '21'"
                    : "med_type <> '21'"))) {
                ps.setString(1, call.hospital().code());
                ps.setString(2, insutype);
                ps.setString(3, optins.code());
                ps.setTimestamp(4, Timestamp.valueOf(from.atStartOfDay()));
                ps.setTimestamp(5, Timestamp.valueOf(to.plusDays(1).atStartOfDay()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Totals(rs.getLong(1), Money.ofYuan(rs.getBigDecimal(2)), Money.ofYuan(rs.getBigDecimal(3)),
                            Money.ofYuan(rs.getBigDecimal(4)));
                }
            }
        });
        List<String> differences = new ArrayList<>();
        if (node.count() != count) {
            differences.add("fixmedins_setl_cnt: the node has " + node.count() + ", the hospital " + count);
        }
        differ(differences, "medfee_sumamt", node.medfee(), medfee);
        differ(differences, "fund_pay_sumamt", node.fund(), fund);
        differ(differences, "acct_pay", node.acct(), acct);
        String period = from.equals(to) ? from.toString() : from + " to " + to;
        ObjectNode info = Output.object();
        info.put("setl_optins", optins.code());
        info.put("stmt_rslt", differences.isEmpty() ? "0" : "1");
        info.put("stmt_rslt_dscr", differences.isEmpty()
                ? "agrees: " + node.count() + " settlements and reversals of " + period + ", medfee_sumamt "
                        + node.medfee().toYuan().toPlainString() + ", fund_pay_sumamt " + node.fund().toYuan().toPlainString()
                        + ", acct_pay " + node.acct().toYuan().toPlainString()
                : "differs for " + period + ": " + String.join("; ", differences)
                        + " (3202 for each day names the settlements)");
        ObjectNode output = Output.object();
        output.set("stmtinfo", info);
        return envelopes.success(output, "");
    }

    /** 3202 detail reconciliation (对明细账): the hospital's settlements of one day against the node's. */
    byte[] details(Call call) {
        Input data = call.input().object("data");
        LocalDate day = data.date("stmt_date");
        period(data, day, day, "stmt_date", "stmt_date");
        Map<String, Line> hospital = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        com.fasterxml.jackson.databind.JsonNode given = call.input().node().get("detail");
        boolean none = given != null && given.isArray() && given.isEmpty();
        for (Input line : none ? List.<Input>of() : call.input().array("detail", MAX_LINES)) {
            String setlId = line.text("setl_id", VisitTransactions.SERIAL, "a settlement id");
            if (!seen.add(setlId)) {
                throw HisRefusal.field(line.path() + ".setl_id", setlId + " is listed twice");
            }
            hospital.put(setlId, new Line(line.money("medfee_sumamt"), line.money("fund_pay_sumamt"),
                    line.money("acct_pay")));
        }
        Map<String, Line> node = deps.db().inTransaction("reconcile the settlements of " + call.hospital().code(), c ->
                lines(c, call.hospital().code(), day));
        ArrayNode diff = Output.JSON.createArrayNode();
        int agree = 0;
        for (Map.Entry<String, Line> n : node.entrySet()) {
            Line h = hospital.get(n.getKey());
            if (h == null) {
                diff.add(difference(n.getKey(), "node_only", n.getValue(), null));
            } else if (!h.equals(n.getValue())) {
                diff.add(difference(n.getKey(), "amounts_differ", n.getValue(), h));
            } else {
                agree++;
            }
        }
        for (Map.Entry<String, Line> h : hospital.entrySet()) {
            if (!node.containsKey(h.getKey())) {
                diff.add(difference(h.getKey(), "hospital_only", null, h.getValue()));
            }
        }
        ObjectNode info = Output.object();
        info.put("stmt_date", day.toString());
        info.put("stmt_rslt", diff.isEmpty() ? "0" : "1");
        info.put("node_setl_cnt", node.size());
        info.put("hosp_setl_cnt", hospital.size());
        info.put("stmt_rslt_dscr", diff.isEmpty() ? "agrees: " + agree + " settlements and reversals"
                : diff.size() + " differ, " + agree + " agree");
        ObjectNode output = Output.object();
        output.set("stmtinfo", info);
        output.set("diff", diff);
        return envelopes.success(output, "");
    }

    private static Map<String, Line> lines(Connection c, String hospital, LocalDate day) throws SQLException {
        Map<String, Line> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT setl_id, medfee_sumamt, fund_pay_sumamt, acct_pay FROM "
                + "settlement WHERE fixmedins_code = ? AND state IN ('SETTLED', 'REVERSED') AND setl_time >= ? AND "
                + "setl_time < ? ORDER BY setl_time, setl_id")) {
            ps.setString(1, hospital);
            ps.setTimestamp(2, Timestamp.valueOf(day.atStartOfDay()));
            ps.setTimestamp(3, Timestamp.valueOf(day.plusDays(1).atStartOfDay()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Line(Money.ofYuan(rs.getBigDecimal(2)),
                            Money.ofYuan(rs.getBigDecimal(3)), Money.ofYuan(rs.getBigDecimal(4))));
                }
            }
        }
        return out;
    }

    private static ObjectNode difference(String setlId, String type, Line node, Line hospital) {
        ObjectNode d = Output.object();
        d.put("setl_id", setlId);
        d.put("diff_type", type);
        put(d, "node_", node);
        put(d, "hosp_", hospital);
        return d;
    }

    private static void put(ObjectNode d, String prefix, Line line) {
        d.put(prefix + "medfee_sumamt", line == null ? null : line.medfee().toYuan());
        d.put(prefix + "fund_pay_sumamt", line == null ? null : line.fund().toYuan());
        d.put(prefix + "acct_pay", line == null ? null : line.acct().toYuan());
    }

    private static void differ(List<String> differences, String field, Money node, Money hospital) {
        if (!node.equals(hospital)) {
            differences.add(field + ": the node has " + node.toYuan().toPlainString() + ", the hospital "
                    + hospital.toYuan().toPlainString());
        }
    }

    /** A period that exists: from not after to, not after today, at most {@value #MAX_DAYS} days. */
    private void period(Input data, LocalDate from, LocalDate to, String fromField, String toField) {
        LocalDate today = today();
        if (to.isBefore(from)) {
            throw HisRefusal.field(data.path() + "." + toField, to + " is before " + fromField + " " + from);
        }
        if (to.isAfter(today)) {
            throw HisRefusal.field(data.path() + "." + toField, to + " is after today " + today
                    + ": nothing to reconcile yet");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw HisRefusal.field(data.path() + "." + fromField, "at most " + MAX_DAYS + " days at once: " + from
                    + " to " + to);
        }
    }

    private static long count(Input data, String name) {
        String s = data.text(name);
        if (!COUNT.matcher(s).matches()) {
            throw HisRefusal.field(data.path() + "." + name, "must be a whole number of settlements: '" + s + "'");
        }
        return Long.parseLong(s);
    }
}
