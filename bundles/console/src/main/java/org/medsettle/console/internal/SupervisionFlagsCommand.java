package org.medsettle.console.internal;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.supervision.Supervision;

/**
 * {@code medsettle:supervision-flags [options] [flag_id]}: what the supervision rules found on settlements, newest
 * first (a treatment node); with a flag's id, that flag in full.
 */
@Service
@Command(scope = "medsettle", name = "supervision-flags", description = "List what the supervision rules (就医地监管) flagged or blocked on settlements, newest first; with a flag id, that flag in full")
public class SupervisionFlagsCommand extends ConsoleAction {

    static final String SERVICE = "the supervision rules (feature medsettle-supervision, a province node)";

    @Argument(index = 0, name = "flag_id", required = false, description = "one flag, in full")
    String flagId;

    @Option(name = "--rule", description = "only this rule: overlapping-stay, repeated-fee-item, idle-stay, implausible-quantity, identity-check-failed")
    String rule;

    @Option(name = "--hospital", description = "only this hospital (fixmedins_code)")
    String hospital;

    @Option(name = "--person", description = "only this person (psn_no)")
    String person;

    @Option(name = "--visit", description = "only this visit (mdtrt_id)")
    String visit;

    @Option(name = "--open", description = "only flags not reviewed yet")
    boolean open;

    @Option(name = "--from", description = "flagged on or after this day, yyyy-MM-dd (China)")
    String from;

    @Option(name = "--to", description = "flagged on or before this day, yyyy-MM-dd (China)")
    String to;

    @Option(name = "--limit", description = "at most this many flags (default 200, at most 10000)")
    int limit = 200;

    @Reference(optional = true)
    Supervision supervision;

    @Override
    protected Object run() {
        Supervision s = Services.require(supervision, SERVICE);
        if (flagId != null) {
            Supervision.Flag f = find(s, flagId);
            System.out.println("Flag " + f.id() + " (" + f.rule().key() + ", " + f.mode().name().toLowerCase(Locale.ROOT)
                    + ")");
            System.out.println("  flagged   " + f.flaggedAt().format(FORMAT));
            System.out.println("  hospital  " + f.hospital());
            System.out.println("  visit     " + f.mdtrtId() + " of person " + f.psnNo());
            System.out.println("  outcome   " + (f.setlId().map(id -> "settled as " + id)
                    .orElse("refused: nothing was settled")));
            System.out.println("  finding   " + f.detail());
            System.out.println("  review    " + f.review().name().toLowerCase(Locale.ROOT)
                    + f.reviewedBy().map(b -> " by " + b).orElse("")
                    + f.reviewedAt().map(t -> " on " + t.format(FORMAT)).orElse("")
                    + f.reviewComment().map(c -> ": " + c).orElse(""));
            return null;
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("--limit: from 1 to 10000, not " + limit);
        }
        if (hospital != null && !hospital.strip().matches("[A-Z]\\d{11}")) {
            // a filter no flag can match would print an empty list, as if the hospital had none
            throw new IllegalArgumentException("--hospital: a fixmedins_code, a capital letter and 11 digits "
                    + "(e.g. H33030000001), not '" + hospital + "'");
        }
        Optional<LocalDate> fromDay = day("--from", from);
        Optional<LocalDate> toDay = day("--to", to);
        if (fromDay.isPresent() && toDay.isPresent() && toDay.get().isBefore(fromDay.get())) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        List<Supervision.Flag> flags = s.flags(new Supervision.FlagQuery(Optional.ofNullable(rule).map(
                SupervisionFlagsCommand::rule), Optional.ofNullable(hospital).map(String::strip), Optional.ofNullable(person),
                Optional.ofNullable(visit), open ? Optional.of(Supervision.Review.OPEN) : Optional.empty(), fromDay,
                toDay, limit + 1));
        ShellTable table = new ShellTable();
        table.column("Flag").alignRight();
        table.column("Flagged");
        table.column("Rule");
        table.column("Mode");
        table.column("Hospital");
        table.column("mdtrt_id");
        table.column("psn_no");
        table.column("setl_id");
        table.column("Review");
        table.column("Finding").maxSize(80);
        for (Supervision.Flag f : flags.subList(0, Math.min(limit, flags.size()))) {
            table.addRow().addContent(f.id(), f.flaggedAt().format(FORMAT), f.rule().key(),
                    f.mode().name().toLowerCase(Locale.ROOT), f.hospital(), f.mdtrtId(), f.psnNo(),
                    f.setlId().orElse("(refused)"), f.review().name().toLowerCase(Locale.ROOT), f.detail());
        }
        table.print(System.out);
        System.out.println(Math.min(limit, flags.size()) + " flag(s)" + (flags.size() > limit ? " (more: --limit)" : "")
                + "; medsettle:supervision-flags <flag_id> shows one in full");
        return null;
    }

    static final java.time.format.DateTimeFormatter FORMAT = java.time.format.DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss");

    static Supervision.Rule rule(String key) {
        return Supervision.Rule.ofKey(key.strip()).orElseThrow(() -> new IllegalArgumentException("--rule: no rule '"
                + key + "'; the rules are " + String.join(", ", Arrays.stream(Supervision.Rule.values())
                .map(Supervision.Rule::key).toList())));
    }

    static Supervision.Flag find(Supervision s, String id) {
        long n;
        try {
            n = Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flag_id: a number, as medsettle:supervision-flags lists it, not '"
                    + id + "'");
        }
        return s.flag(n).orElseThrow(() -> new IllegalArgumentException("no supervision flag " + id + " at this node"));
    }

    private static Optional<LocalDate> day(String option, String value) {
        return ConsoleDates.day(option, Optional.ofNullable(value));
    }
}
