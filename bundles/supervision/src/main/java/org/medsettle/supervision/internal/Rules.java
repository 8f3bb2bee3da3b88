package org.medsettle.supervision.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.medsettle.api.supervision.Supervision;
import org.medsettle.api.supervision.Supervision.Finding;
import org.medsettle.api.supervision.Supervision.Mode;
import org.medsettle.api.supervision.Supervision.Rule;

/**
 * The supervision rules (funds.md "Large amounts and supervision"), pure: the findings on one visit from its
 * {@link StayFacts}, each with its rule's mode. No I/O, no clock: {@code asOf} is when the visit is being settled.
 */
final class Rules {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** The catalogue's name of a bed fee (床位费): one a day. */
    static final String BED_FEE = "床位费";
    /** A finding's detail is kept to this length (the flag table's column). */
    static final int MAX_DETAIL = 1000;

    private Rules() {
    }

    static List<Finding> findings(StayFacts facts, LocalDateTime asOf, RuleSettings settings) {
        List<Finding> found = new ArrayList<>();
        add(found, settings, Rule.OVERLAPPING_STAY, overlappingStays(facts, asOf));
        add(found, settings, Rule.REPEATED_FEE_ITEM, repeatedItems(facts));
        add(found, settings, Rule.IDLE_STAY, idleDays(facts, asOf, settings.idleDays()));
        add(found, settings, Rule.IMPLAUSIBLE_QUANTITY, implausibleQuantities(facts, asOf, settings));
        add(found, settings, Rule.IDENTITY_CHECK_FAILED, identity(facts, settings.identityWindowDays()));
        return found;
    }

    private static void add(List<Finding> found, RuleSettings settings, Rule rule, List<String> details) {
        Mode mode = settings.mode(rule);
        if (mode == Mode.OFF || details.isEmpty()) {
            return;
        }
        String detail = String.join("; ", details);
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 20) + " … (" + details.size() + " in all)";
        }
        found.add(new Finding(rule, mode, detail));
    }

    /** When a visit ends as the rules see it: an outpatient visit at its time, a stay at its discharge or now. */
    static LocalDateTime end(Supervision.Stay v, LocalDateTime asOf) {
        if (!v.inpatient()) {
            return v.begin();
        }
        // a stay not discharged yet lasts until now (and at least until its admission)
        LocalDateTime end = v.end().orElse(asOf);
        return end.isBefore(v.begin()) ? v.begin() : end;
    }

    /** 同一人同期多地住院: in hospital twice at once; an outpatient visit elsewhere during a stay (or the reverse). */
    static List<String> overlappingStays(StayFacts facts, LocalDateTime asOf) {
        Supervision.Stay v = facts.visit();
        List<String> out = new ArrayList<>();
        for (Supervision.Stay o : facts.others()) {
            if (v.inpatient() && o.inpatient()) {
                LocalDateTime vEnd = end(v, asOf);
                LocalDateTime oEnd = end(o, asOf);
                if (o.begin().isBefore(vEnd) && v.begin().isBefore(oEnd)) {
                    out.add("in hospital at " + o.hospital() + " at the same time (visit " + o.mdtrtId() + ", "
                            + TIME.format(o.begin()) + " to " + o.end().map(TIME::format).orElse("not discharged")
                            + ")");
                }
            } else if (v.inpatient() && !o.inpatient() && "SETTLED".equals(o.state())
                    && !o.hospital().equals(v.hospital()) && strictlyWithin(o.begin(), v.begin(), end(v, asOf))) {
                out.add("an outpatient visit settled at " + o.hospital() + " during the stay (visit " + o.mdtrtId()
                        + ", " + TIME.format(o.begin()) + ")");
            } else if (!v.inpatient() && o.inpatient() && !o.hospital().equals(v.hospital())
                    && strictlyWithin(v.begin(), o.begin(), end(o, asOf))) {
                out.add("in hospital at " + o.hospital() + " at the time of this outpatient visit (visit "
                        + o.mdtrtId() + ", " + TIME.format(o.begin()) + " to "
                        + o.end().map(TIME::format).orElse("not discharged") + ")");
            }
        }
        return out;
    }

    private static boolean strictlyWithin(LocalDateTime t, LocalDateTime from, LocalDateTime to) {
        return t.isAfter(from) && t.isBefore(to);
    }

    private record ItemAt(String code, LocalDateTime time) {
    }

    /** 重复收费: one item at one time billed on two lines of the visit, or settled in another visit of the person. */
    static List<String> repeatedItems(StayFacts facts) {
        Map<ItemAt, List<StayFacts.Line>> here = new LinkedHashMap<>();
        for (StayFacts.Line l : facts.lines()) {
            if (l.cnt().signum() > 0) {
                here.computeIfAbsent(new ItemAt(l.medListCodg(), l.time()), k -> new ArrayList<>()).add(l);
            }
        }
        List<String> out = new ArrayList<>();
        here.forEach((item, lines) -> {
            if (lines.size() > 1) {
                out.add("item " + item.code() + named(lines.get(0)) + " billed " + lines.size() + " times at "
                        + TIME.format(item.time()) + " (feedetl_sn " + String.join(", ",
                        lines.stream().map(StayFacts.Line::feedetlSn).toList()) + ")");
            }
        });
        for (StayFacts.Line o : facts.settledElsewhere()) {
            List<StayFacts.Line> mine = o.cnt().signum() > 0 ? here.get(new ItemAt(o.medListCodg(), o.time())) : null;
            if (mine != null) {
                out.add("item " + o.medListCodg() + named(mine.get(0)) + " at " + TIME.format(o.time())
                        + " (feedetl_sn " + mine.get(0).feedetlSn() + ") was settled in visit " + o.mdtrtId()
                        + " already (feedetl_sn " + o.feedetlSn() + ")");
            }
        }
        return out;
    }

    private static String named(StayFacts.Line l) {
        return l.name().isEmpty() ? "" : " (" + l.name() + ")";
    }

    /**
     * 挂床: runs of at least {@code idleDays} consecutive days of an inpatient stay, from the day of admission to the
     * day before discharge (or today), on which nothing was billed.
     */
    static List<String> idleDays(StayFacts facts, LocalDateTime asOf, int idleDays) {
        Supervision.Stay v = facts.visit();
        if (!v.inpatient()) {
            return List.of();
        }
        LocalDate first = v.begin().toLocalDate();
        LocalDate last = end(v, asOf).toLocalDate().minusDays(1);
        Set<LocalDate> billed = new TreeSet<>();
        for (StayFacts.Line l : facts.lines()) {
            if (l.cnt().signum() > 0) {
                billed.add(l.time().toLocalDate());
            }
        }
        List<String> out = new ArrayList<>();
        LocalDate runStart = null;
        for (LocalDate d = first; !d.isAfter(last.plusDays(1)); d = d.plusDays(1)) {
            boolean idle = !d.isAfter(last) && !billed.contains(d);
            if (idle && runStart == null) {
                runStart = d;
            } else if (!idle && runStart != null) {
                long days = ChronoUnit.DAYS.between(runStart, d);
                if (days >= idleDays) {
                    out.add("nothing billed on " + days + " consecutive days of the stay, " + runStart + " to "
                            + d.minusDays(1) + " (admitted " + first + ")");
                }
                runStart = null;
            }
        }
        return out;
    }

    /**
     * 超量: an item whose quantity over the visit (net of reversals) exceeds its units a day times the days of the
     * visit (an inpatient stay's calendar days, admission and discharge included; an outpatient visit: one).
     */
    static List<String> implausibleQuantities(StayFacts facts, LocalDateTime asOf, RuleSettings settings) {
        Supervision.Stay v = facts.visit();
        long days = v.inpatient()
                ? ChronoUnit.DAYS.between(v.begin().toLocalDate(), end(v, asOf).toLocalDate()) + 1 : 1;
        Map<String, BigDecimal> total = new LinkedHashMap<>();
        Map<String, StayFacts.Line> sample = new LinkedHashMap<>();
        for (StayFacts.Line l : facts.lines()) {
            total.merge(l.medListCodg(), l.cnt(), BigDecimal::add);
            sample.putIfAbsent(l.medListCodg(), l);
        }
        List<String> out = new ArrayList<>();
        total.forEach((code, cnt) -> {
            StayFacts.Line l = sample.get(code);
            BigDecimal perDay = settings.perDayByCode().get(code);
            String why = "quantityLimits";
            if (perDay == null && l.name().startsWith(BED_FEE)) {
                perDay = settings.bedFeePerDay();
                why = "bedFeePerDay";
            }
            if (perDay == null) {
                perDay = settings.perDayByKind().get(l.kind());
                why = "quantityPerDay." + l.kind();
            }
            if (perDay == null) {
                return;
            }
            BigDecimal limit = perDay.multiply(BigDecimal.valueOf(days));
            if (cnt.compareTo(limit) > 0) {
                out.add("item " + code + named(l) + ": " + cnt.stripTrailingZeros().toPlainString() + " units in "
                        + days + " day(s), more than " + perDay.stripTrailingZeros().toPlainString() + " a day ("
                        + why + ")");
            }
        });
        return out;
    }

    /** 身份核验未通过: identity checks of the person that failed, up to the window's days before the admission. */
    static List<String> identity(StayFacts facts, int windowDays) {
        LocalDateTime from = facts.visit().begin().minusDays(windowDays);
        return facts.identityFailures().stream().filter(f -> !f.checkedAt().isBefore(from))
                .map(f -> "the identity check at " + f.hospital() + " on " + TIME.format(f.checkedAt()) + " failed: "
                        + f.what())
                .toList();
    }
}
