package org.medsettle.tools;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The load driver (README "Performance"): many concurrent hospital clerks, each settling inpatient stays of
 * cross-province patients through the HIS interface over HTTP — 2401, 2301 with 30 lines, 2402, 2303, 2304 — in
 * steps of increasing concurrency. Reports per step settlements per second and latency percentiles per
 * transaction, errors by kind, the treatment node's CPU and memory (when its pid is given); checks afterwards that
 * every acknowledged settlement is at the node exactly once (5203) and that each patient's account balance at the
 * insured node is the opening balance less the account payments acknowledged (1101). Writes a JSON report and a
 * PNG plot of throughput and p99 against concurrency.
 *
 * <pre>
 *   java -cp medsettle-tools-all.jar org.medsettle.tools.LoadDriver persons &lt;n&gt; &lt;file&gt;
 *   java -cp medsettle-tools-all.jar org.medsettle.tools.LoadDriver run --treatment URL --admdvs 330000
 *        --hospital CODE:KEY ... --insured URL --insured-admdvs 630000 --filing-client NAME --filing-key KEY
 *        --catalogue FILE --persons N [--steps 1,4,8,16] [--seconds 20] [--node-pid PID] [--out DIR]
 *        [--rate STAYS_PER_SECOND | --rate 0.8xload.json] [--events FILE] [--report NAME]
 *        [--flow stays|uploads|settlements] [--prepared N] [--process NAME:PID ...] [--stay-day yyyy-MM-dd]
 *        [--warmup S] [--outage S] [--after-events S]
 * </pre>
 * {@code --after-events S}: a step with events ends S seconds after its last event ended, if that is before its
 * {@code --seconds} (an event of unknown length, such as a rolling upgrade, followed by a fixed time under load).
 * {@code --outage S}: the run is expected to meet an outage (a node killed and started again, {@code ./run.sh crash}):
 * every clerk repeats a request with the same msgid for up to S seconds while it gets no answer or a -1 ("the outcome
 * is not known" or "nothing was done: send the same request again"), as a HIS does; without it an unanswered request
 * is repeated for 15 s and a -1 answer fails the stay.
 * Stays are of yesterday (China) unless {@code --stay-day} names an earlier day: a node on a business clock
 * ({@code MEDSETTLE_CLOCK_OFFSET}) refuses times ahead of its own today.
 * An events file has lines {@code <second> <label> <command line>}: run during each step at that second (a bundle
 * update for the hot-swap measurement, {@code ./run.sh swap}); the report gives each event's duration and the
 * refused attempts and failed stays from its start to the next event's.
 *
 * <p>This class runs the steps and reports; what a clerk does is {@link Clerk}, the checks after a run
 * {@link LoadChecks}, the process figures {@link ProcessStats}, the plot {@link LoadPlot}.
 */
public final class LoadDriver {

    static final String PSN_PREFIX = "63000000000008";
    static final BigDecimal OPENING = new BigDecimal("5000.00");
    static final String[] INFNOS = {"2401", "2301", "2402", "2303", "2304"};

    private LoadDriver() {
    }

    /**
     * A load-test person and which of their stays this is ({@code slot}: the half hour of the stay day it takes, so
     * that one person's stays never overlap — the node's supervision rules would flag a person in hospital twice at
     * once — until a person has had {@link Clerk#SLOTS} stays).
     */
    public record Patient(String psnNo, String certno, int slot) {
    }

    /** The next load-test person, round robin: consecutive stays are of different persons. */
    static Patient nextPatient(Config c, AtomicInteger nextPerson) {
        int n = nextPerson.getAndIncrement();
        int i = 1 + Math.floorMod(n, c.persons());
        return new Patient(psnNo(i), certno(i), Math.floorMod(Math.floorDiv(n, c.persons()), Clerk.SLOTS));
    }

    static String psnNo(int i) {
        return PSN_PREFIX + String.format("%06d", i);
    }

    public record Item(String code, BigDecimal price) {
    }

    /** What one step measured. */
    public record Step(int clerks, double seconds, long settlements, double perSecond, long lines, double linesPerSecond,
                Map<String, long[]> percentiles, Map<String, Long> errors, double nodeCpuPercent, long nodeRssMib,
                long nodeHeapPeakMib, long nodeHeapMaxMib, long nodeGcMillis, long refusedAttempts,
                List<EventOutcome> events, Map<String, Double> cpuPercent, Map<String, Double> jitPercent) {
    }

    /** {@code label} then each process's CPU ms per operation (from its percent of a core) and their sum. */
    static String msPerOperation(String label, Map<String, Double> cpuPercent, double perOperation) {
        StringBuilder line = new StringBuilder(label);
        cpuPercent.forEach((name, pct) -> line.append(String.format(" %s %.2f,", name, pct * 10 / perOperation)));
        return line.append(String.format(" all processes %.2f", Targets.cpuMsPerOperation(cpuPercent, perOperation)))
                .toString();
    }

    public static void main(String[] args) throws Exception {
        // the JDK's kept-alive HTTP connections per node (5 unless set, read once): as many as the clerks, before any
        // request is sent — set by this program, never by the classes other programs (the tests) use
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(Signed.KEPT_CONNECTIONS));
        }
        if (args.length >= 3 && "persons".equals(args[0])) {
            int n = Integer.parseInt(args[1]);
            List<String> lines = new ArrayList<>();
            lines.add("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name");
            for (int i = 1; i <= n; i++) {
                String certno = certno(i);
                lines.add(psnNo(i) + "," + certno + ",测试," + SequenceReplay.gender(certno) + "," + birthDate(i)
                        + ",310," + (i % 3 == 0 ? "1102" : "1101") + ",,"
                        + OPENING + ",某某公司");
            }
            Files.write(Path.of(args[2]), lines, StandardCharsets.UTF_8);
            System.out.println(n + " load-test persons written to " + args[2]);
            return;
        }
        if (args.length == 0 || !"run".equals(args[0])) {
            System.err.println("usage: persons <n> <file> | run --treatment URL --admdvs CODE --hospital CODE:KEY ... "
                    + "--insured URL --insured-admdvs CODE --filing-client NAME --filing-key KEY --catalogue FILE "
                    + "--persons N [--steps 1,4,8,16] [--seconds 20] [--node-pid PID] [--out DIR] [--rate R | --rate 0.8xload.json] "
                    + "[--events FILE] [--report NAME] [--flow stays|uploads|settlements] [--prepared N] [--process NAME:PID] [--stay-day yyyy-MM-dd] [--warmup S] [--outage S] [--after-events S]");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        List<String> hospitalSpecs = new ArrayList<>();
        Map<String, Long> processes = new java.util.LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if ("--hospital".equals(args[i])) {
                hospitalSpecs.add(args[i + 1]);
            } else if ("--process".equals(args[i])) {
                String[] p = args[i + 1].split(":", 2);
                processes.put(p[0], Long.parseLong(p[1]));
            } else {
                opts.put(args[i].substring(2), args[i + 1]);
            }
        }
        List<HisClient> hospitals = new ArrayList<>();
        for (String spec : hospitalSpecs) {
            String[] h = spec.split(":", 2);
            hospitals.add(new HisClient(opts.get("treatment"), h[0], h[1], opts.get("admdvs")));
        }
        // the items billed are those valid on the day of the stays
        java.time.LocalDate stayDay = stayDay(opts.get("stay-day"));
        LoadDriver.Config config;
        try {
            config = new Config(hospitals, opts.get("insured-admdvs"),
                    new FilingClient(opts.get("insured"), opts.get("filing-client"), opts.get("filing-key")),
                    items(Path.of(opts.get("catalogue")), stayDay), whole(opts, "persons", null, 1),
                    steps(opts.getOrDefault("steps", "1,4,8,16")), whole(opts, "seconds", "20", 1),
                    opts.containsKey("node-pid") ? Long.parseLong(opts.get("node-pid")) : -1,
                    rate(opts.getOrDefault("rate", "0")),
                    opts.containsKey("events") ? Event.read(Path.of(opts.get("events"))) : List.of(),
                    Flow.valueOf(opts.getOrDefault("flow", "stays").toUpperCase(java.util.Locale.ROOT)), processes,
                    whole(opts, "prepared", "4000", 1), stayDay, whole(opts, "warmup", "10", 0),
                    whole(opts, "outage", "0", 0), whole(opts, "after-events", "0", 0));
        } catch (IllegalArgumentException e) {
            // a mistyped figure of ./run.sh load|settlements|uploads: said so, not a stack trace
            System.err.println("load driver: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.rate() > 0) {
            System.out.printf("offered load: %.1f stays per second%n", config.rate());
        }
        Result result = run(config);
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        String name = opts.getOrDefault("report", "load");
        Files.writeString(out.resolve(name + ".json"), result.json().toPrettyString() + "\n");
        LoadPlot.plot(result.steps(), config.flow(), out.resolve(name + ".png"));
        System.out.println("Report: " + out.resolve(name + ".json") + ", plot: " + out.resolve(name + ".png"));
        if (!result.problems().isEmpty()) {
            System.out.println("CHECK FAILED:");
            result.problems().forEach(p -> System.out.println("  " + p));
            System.exit(1);
        }
    }

    /** The option {@code --name} (or its default) as a whole number of at least {@code min}. */
    static int whole(Map<String, String> opts, String name, String fallback, int min) {
        String text = opts.getOrDefault(name, fallback);
        if (text == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new IllegalArgumentException("--" + name + ": a whole number of at least " + min + ", not '" + text + "'");
    }

    /** The clerks of each step, e.g. {@code 1,4,8,16}: whole numbers from 1 to 1000. */
    static int[] steps(String text) {
        String[] parts = text.split(",", -1);
        int[] steps = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int n;
            try {
                n = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("steps: clerks per step, whole numbers from 1 to 1000 separated by "
                        + "commas (e.g. 1,4,8,16), not '" + text + "'");
            }
            steps[i] = n;
        }
        return steps;
    }

    /**
     * What to drive. {@code rate}: stays started per second over all clerks (0: every clerk starts its next stay as
     * soon as the last one ends); {@code events}: actions run during each step at their second (e.g. a bundle update).
     */
    /**
     * {@code --rate}: stays per second, or {@code <fraction>x<load.json>} for that fraction of the best throughput a
     * previous run measured (e.g. {@code 0.8xdocs/benchmarks/load.json}: 80 % of the measured ceiling).
     */
    static double rate(String spec) throws IOException {
        int x = spec.indexOf('x');
        if (x < 0) {
            return Double.parseDouble(spec);
        }
        double fraction = Double.parseDouble(spec.substring(0, x));
        JsonNode report = Signed.JSON.readTree(Files.readAllBytes(Path.of(spec.substring(x + 1))));
        double best = 0;
        for (JsonNode step : report.path("steps")) {
            best = Math.max(best, step.path("settlements_per_second").asDouble());
        }
        if (best <= 0) {
            throw new IllegalArgumentException(spec.substring(x + 1) + " reports no throughput to take a fraction of");
        }
        System.out.printf("measured ceiling %.1f settlements/s (%s)%n", best, spec.substring(x + 1));
        return best * fraction;
    }

    /** {@code --stay-day}: a real day, not after yesterday (China); absent, yesterday. */
    static java.time.LocalDate stayDay(String value) {
        java.time.LocalDate yesterday = Clerk.yesterday();
        if (value == null) {
            return yesterday;
        }
        java.time.LocalDate day;
        try {
            day = java.time.LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--stay-day " + value + " is not a day (yyyy-MM-dd)");
        }
        if (day.isAfter(yesterday)) {
            throw new IllegalArgumentException("--stay-day " + value + " is after yesterday (" + yesterday
                    + "): a stay is admitted, billed and discharged before it is settled");
        }
        return day;
    }

    public record Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                  int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                  Map<String, Long> processes, int prepared, java.time.LocalDate stayDay, int warmupSeconds,
                  int outageSeconds, int afterEventsSeconds) {

        /**
         * {@code outageSeconds}: see {@code --outage}; the step ends at its seconds (not {@code afterEventsSeconds}
         * after its last event).
         */
        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                      Map<String, Long> processes, int prepared, java.time.LocalDate stayDay, int warmupSeconds,
                      int outageSeconds) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, rate, events, flow, processes,
                    prepared, stayDay, warmupSeconds, outageSeconds, 0);
        }

        /** No outage expected: unanswered requests repeated for {@link Clerk#REPEAT_FOR}, a -1 answer fails the stay. */
        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                      Map<String, Long> processes, int prepared, java.time.LocalDate stayDay, int warmupSeconds) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, rate, events, flow, processes,
                    prepared, stayDay, warmupSeconds, 0);
        }

        /** With the usual warm-up: 10 s at 8 clerks before the steps, not reported. */
        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                      Map<String, Long> processes, int prepared, java.time.LocalDate stayDay) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, rate, events, flow, processes,
                    prepared, stayDay, 10);
        }

        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, 0, List.of(), Flow.STAYS, Map.of(), 0);
        }

        /** Stays of yesterday in China ({@link Clerk#yesterday()}). */
        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                      Map<String, Long> processes, int prepared) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, rate, events, flow, processes,
                    prepared, Clerk.yesterday());
        }

        /** Every process whose CPU a step reports: the treatment node, the others given, and this driver. */
        Map<String, Long> measured() {
            Map<String, Long> all = new java.util.LinkedHashMap<>();
            if (nodePid > 0) {
                all.put("treatment node", nodePid);
            }
            all.putAll(processes);
            all.put("load driver", ProcessHandle.current().pid());
            return all;
        }
    }

    /**
     * What each clerk does. {@code STAYS}: whole cross-province stays (2401, 2301 of 30 lines, 2402, 2303, 2304).
     * {@code UPLOADS}: the fee-line upload alone — a clerk admits a patient and uploads {@value Clerk#UPLOADS_PER_VISIT}
     * batches of 30 lines to the stay (2301), then admits the next; nothing is settled.
     */
    public enum Flow {
        STAYS, UPLOADS,
        /**
         * The settlement alone (quality.md: "2304, 30 uploaded fee lines"): before each step, {@code prepared} stays are
         * admitted, given 30 lines and discharged (not timed); the step's clerks then settle them with 2304 only —
         * no 2303 first, so every 2304 asks the insured node for the coverage and applies there (two hub exchanges).
         */
        SETTLEMENTS;

        /** The transaction whose throughput and p99 the report plots. */
        String measured() {
            return this == UPLOADS ? "2301" : "2304";
        }
    }

    /** A stay admitted, with its fee lines, discharged: what a settlement needs. */
    public record Event(int second, String label, java.util.concurrent.Callable<String> action) {

        /** An event running a command line ({@code sh -c}); a non-zero exit fails the event. */
        public static Event command(int second, String label, String commandLine) {
            return new Event(second, label, () -> {
                Process p = new ProcessBuilder("sh", "-c", commandLine).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("exit " + p.exitValue() + ": " + out);
                }
                return out;
            });
        }

        /** Lines of {@code <second> <label> <command line>}; blank lines and {@code #} comments skipped. */
        public static List<Event> read(Path file) throws IOException {
            List<Event> events = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+", 3);
                if (f.length < 3 || !f[0].matches("\\d+")) {
                    throw new IllegalArgumentException(file + ": expected '<second> <label> <command>': " + l);
                }
                events.add(command(Integer.parseInt(f[0]), f[1], f[2]));
            }
            return events;
        }
    }

    /** An event as it happened, and what the hospitals saw from its start until the next event or the step's end. */
    public record EventOutcome(String label, long startMillis, long endMillis, String answer, boolean ok,
                               long refusedAttempts, long firstRefusedMillis, long lastRefusedMillis,
                               long failedStays) {

        /** From the first refused attempt to the last one (0 when none). */
        public long refusalWindowMillis() {
            return refusedAttempts == 0 ? 0 : lastRefusedMillis - firstRefusedMillis;
        }
    }

    public record Result(List<Step> steps, List<String> problems, ObjectNode json) {
    }

    /** Load-test person {@code i}'s birth date: a thousand persons a day from 1950-01-01, as {@link #certno} says. */
    static java.time.LocalDate birthDate(int i) {
        return java.time.LocalDate.of(1950, 1, 1).plusDays(i / 1000);
    }

    /** Load-test person {@code i}'s ID number: region 630101, {@link #birthDate}, then {@code i}'s last three digits. */
    static String certno(int i) {
        return SequenceReplay.withCheckDigit("63" + "0101"
                + birthDate(i).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + String.format("%03d", i % 1000));
    }

    /** Catalogue entries valid today, of classes A and B, with their price limit or a price: what hospitals bill. */
    public static List<Item> items(Path catalogue) throws IOException {
        return items(catalogue, Clerk.yesterday());
    }

    /** Catalogue entries valid on {@code day}, of classes A and B, with their price limit or a price. */
    public static List<Item> items(Path catalogue, java.time.LocalDate day) throws IOException {
        List<Item> items = new ArrayList<>();
        String today = day.toString();
        List<String> lines = Files.readAllLines(catalogue, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            // a line whose name a spreadsheet quoted because it holds a comma has more values: not used
            String[] f = line.split(",", -1);
            // not a bed fee (床位费): billed once a day, and the driver's stays last half an hour with random quantities
            if (f.length == 8 && !"C".equals(f[3]) && f[6].compareTo(today) <= 0 && (f[7].isEmpty() || f[7].compareTo(today) >= 0)
                    && !f[1].replace("\"", "").strip().startsWith("床位费")) {
                items.add(new Item(f[0], f[5].isEmpty() ? new BigDecimal("12.50") : new BigDecimal(f[5])));
            }
        }
        if (items.size() < 30) {
            throw new IllegalStateException("the catalogue has fewer than 30 usable entries: " + catalogue);
        }
        return items;
    }

    /** The fields that make a filing the driver's own: a filed one with all of them equal and active is kept. */
    private static final List<String> FILING_IDENTITY = List.of("category", "mdtrtarea_admvs", "valid_from", "valid_to");

    /**
     * Whether a person's filings ({@code GET /medsettle/api/filings?psn_no=}) hold {@code wanted} already: an active
     * one with its category, treatment place and validity.
     */
    static boolean alreadyFiled(Signed.Answer filings, com.fasterxml.jackson.databind.JsonNode wanted) {
        if (filings.status() != 200) {
            return false;
        }
        for (com.fasterxml.jackson.databind.JsonNode f : filings.body().path("filings")) {
            if ("ACTIVE".equals(f.path("state").asText())
                    && FILING_IDENTITY.stream().allMatch(k -> wanted.path(k).asText().equals(f.path(k).asText()))) {
                return true;
            }
        }
        return false;
    }

    public static Result run(Config c) throws Exception {
        // file every load-test person at the insured node (a yearly temporary filing for the treatment province),
        // unless an earlier run did: filed again, the earlier filing would be kept as superseded, and every run would
        // add one to each person's filings, which the insured node reads at every coverage
        String treatment = c.hospitals().get(0).envelope("9001", "x", "", null).path("mdtrtarea_admvs").asText();
        int year = c.stayDay().getYear();
        for (int i = 1; i <= c.persons(); i++) {
            ObjectNode f = Signed.JSON.createObjectNode();
            f.put("psn_no", psnNo(i));
            f.put("category", "TEMPORARY");
            f.put("mdtrtarea_admvs", treatment);
            f.put("valid_from", year + "-01-01");
            f.put("valid_to", year + "-12-31");
            f.put("evidence", "个人承诺");
            f.put("operator", "load-driver");
            if (alreadyFiled(c.filings().forPerson(psnNo(i)), f)) {
                continue;
            }
            Signed.Answer a = c.filings().file(f);
            if (a.status() != 201) {
                throw new IllegalStateException("filing of " + psnNo(i) + " refused: " + a.body());
            }
        }
        // the balances before the run: a node keeps a person's balance across extracts, so a second run on the
        // same node starts from what the first one left
        Map<String, BigDecimal> opening = new HashMap<>();
        for (int i = 1; i <= c.persons(); i++) {
            opening.put(psnNo(i), LoadChecks.balance(c.hospitals().get(0), c.insured(), psnNo(i)));
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Clerk.Acknowledged> acknowledged = new ConcurrentHashMap<>();   // setl_id -> psn_no, fund amounts
        Map<String, BigDecimal> accountPaid = new ConcurrentHashMap<>(); // psn_no -> sum of acct_pay
        Map<String, Clerk.Discharged> visitOf = new ConcurrentHashMap<>();    // setl_id -> the stay and its hospital
        AtomicInteger nextPerson = new AtomicInteger();
        // warm-up, not reported (the JIT of all three instances; its settlements are checked with the others); none
        // with --warmup 0, when the warm-up itself is what is measured (./run.sh warmup)
        int warmup = Math.min(c.warmupSeconds(), c.seconds());
        if (warmup > 0) {
            Step w = step(c, 8, warmup, List.of(), Math.min(1000, c.prepared()), nextPerson, acknowledged, accountPaid,
                    visitOf);
            System.out.printf("warm-up: %d s, %d settlements, errors %s%n", warmup, w.settlements(), w.errors());
        }
        for (int clerks : c.steps()) {
            steps.add(step(c, clerks, c.seconds(), c.events(), c.prepared(), nextPerson, acknowledged, accountPaid, visitOf));
            Step s = steps.get(steps.size() - 1);
            String m = c.flow().measured();
            System.out.printf("%3d clerks: %8.1f settlements/s, %9.0f fee lines/s, %s p50 %d ms p99 %d ms, errors %s%s%n",
                    clerks, s.perSecond(), s.linesPerSecond(), m, s.percentiles().get(m)[0],
                    s.percentiles().get(m)[2], s.errors(), c.nodePid() > 0
                            ? String.format(", node CPU %.0f %%, heap peak %d of %d MiB (GC %d ms), RSS %d MiB",
                            s.nodeCpuPercent(), s.nodeHeapPeakMib(), s.nodeHeapMaxMib(), s.nodeGcMillis(), s.nodeRssMib())
                            : "");
            StringBuilder cpuLine = new StringBuilder("    CPU (100 % = one core):");
            s.cpuPercent().forEach((name, pct) -> cpuLine.append(String.format(" %s %.0f %%,", name, pct)));
            System.out.println(cpuLine.substring(0, cpuLine.length() - 1));
            double perOperation = c.flow() == Flow.UPLOADS ? s.linesPerSecond() / 30.0 : s.perSecond();
            if (!s.cpuPercent().isEmpty() && perOperation > 0) {
                System.out.println(msPerOperation(String.format("    CPU ms per %s:", c.flow() == Flow.UPLOADS
                        ? "upload of 30 lines" : c.flow() == Flow.STAYS ? "stay" : "settlement"), s.cpuPercent(), perOperation));
                System.out.println(msPerOperation("      of which their JIT compilers (at least):", s.jitPercent(),
                        perOperation));
            }
            for (Targets.Check t : Targets.of(c.flow(), s.perSecond(), s.linesPerSecond(), s.percentiles().get(m)[2],
                    s.cpuPercent())) {
                System.out.println("    target " + t);
            }
            for (EventOutcome e : s.events()) {
                System.out.printf("    %s: %s in %d ms; then %d refused attempts (repeated) over %d ms, %d failed stays%n",
                        e.label(), e.ok() ? "done" : "FAILED", e.endMillis() - e.startMillis(), e.refusedAttempts(),
                        e.refusalWindowMillis(), e.failedStays());
            }
        }
        List<String> problems = LoadChecks.check(c, acknowledged, accountPaid, visitOf, opening);
        ObjectNode json = Signed.JSON.createObjectNode();
        json.put("measured", Instant.now().toString());
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores visible to the driver, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        json.put("warmup_seconds", warmup);
        json.put("flow", switch (c.flow()) {
            case STAYS -> "2401, 2301 (30 lines), 2402, 2303, 2304 per stay; cross-province through the hub";
            case UPLOADS -> "2401, then " + Clerk.UPLOADS_PER_VISIT + " uploads (2301) of 30 lines per stay; nothing settled";
            case SETTLEMENTS -> "2304 alone on stays admitted, given 30 lines and discharged before the step (up to "
                    + c.prepared() + " per step, the step ends when they are settled); cross-province through the hub";
        });
        ArrayNode arr = json.putArray("steps");
        for (Step s : steps) {
            ObjectNode o = arr.addObject();
            o.put("clerks", s.clerks());
            o.put("seconds", s.seconds());
            o.put("settlements", s.settlements());
            o.put("settlements_per_second", Math.round(s.perSecond() * 10) / 10.0);
            o.put("fee_lines_per_second", Math.round(s.linesPerSecond()));
            ObjectNode lat = o.putObject("latency_ms_p50_p95_p99_max");
            s.percentiles().forEach((k, v) -> lat.putArray(k).add(v[0]).add(v[1]).add(v[2]).add(v[3]));
            ObjectNode err = o.putObject("errors");
            s.errors().forEach(err::put);
            o.put("refused_attempts", s.refusedAttempts());
            // CPU of each process (100 = one core) and its CPU time per stay: what the two cores are spent on
            ObjectNode cpuOut = o.putObject("cpu_percent");
            String perStayKey = switch (c.flow()) {
                case STAYS -> "cpu_ms_per_stay";
                case SETTLEMENTS -> "cpu_ms_per_settlement";
                case UPLOADS -> "cpu_ms_per_upload_of_30_lines";
            };
            ObjectNode perStay = o.putObject(perStayKey);
            double perSecond = c.flow() == Flow.UPLOADS ? s.linesPerSecond() / 30.0 : s.perSecond();
            s.cpuPercent().forEach((name, pct) -> {
                cpuOut.put(name, Math.round(pct));
                if (perSecond > 0) {
                    perStay.put(name, Math.round(pct * 100 / perSecond) / 10.0);
                }
            });
            if (perSecond > 0 && !s.cpuPercent().isEmpty()) {
                perStay.put("all processes", Math.round(Targets.cpuMsPerOperation(s.cpuPercent(), perSecond) * 100) / 100.0);
                // of it, the JIT compiler threads' (at least): a step still compiling is not yet the steady state
                ObjectNode jit = o.putObject("jit_" + perStayKey);
                s.jitPercent().forEach((name, pct) -> jit.put(name, Math.round(pct * 1000 / perSecond) / 100.0));
                jit.put("all processes", Math.round(Targets.cpuMsPerOperation(s.jitPercent(), perSecond) * 100) / 100.0);
            }
            ArrayNode targets = o.putArray("targets");
            for (Targets.Check t : Targets.of(c.flow(), s.perSecond(), s.linesPerSecond(),
                    s.percentiles().get(c.flow().measured())[2], s.cpuPercent())) {
                targets.addObject().put("target", t.target()).put("measured", t.measured()).put("met", t.met());
            }
            if (c.rate() > 0) {
                o.put("offered_stays_per_second", Math.round(c.rate() * 10) / 10.0);
            }
            if (!s.events().isEmpty()) {
                ArrayNode ev = o.putArray("events");
                for (EventOutcome e : s.events()) {
                    ObjectNode eo = ev.addObject();
                    eo.put("label", e.label());
                    eo.put("ok", e.ok());
                    eo.put("answer", e.answer());
                    eo.put("duration_ms", e.endMillis() - e.startMillis());
                    eo.put("refused_attempts", e.refusedAttempts());
                    eo.put("refusal_window_ms", e.refusalWindowMillis());
                    eo.put("first_refusal_after_start_ms", e.refusedAttempts() == 0 ? 0 : e.firstRefusedMillis() - e.startMillis());
                    eo.put("failed_stays", e.failedStays());
                }
            }
            if (s.nodeRssMib() > 0) {
                o.put("node_cpu_percent", Math.round(s.nodeCpuPercent()));
                o.put("node_rss_mib", s.nodeRssMib());
                o.put("node_heap_peak_mib", s.nodeHeapPeakMib());
                o.put("node_heap_max_mib", s.nodeHeapMaxMib());
                o.put("node_gc_ms", s.nodeGcMillis());
            }
        }
        json.put("acknowledged_settlements", acknowledged.size());
        // what the insured province owes the treatment province for them: the monthly clearing's statement agrees
        long[] fundFen = new long[Clerk.FUNDS.length];
        long withFundPay = 0;
        for (Clerk.Acknowledged a : acknowledged.values()) {
            boolean paid = false;
            for (int i = 0; i < fundFen.length; i++) {
                fundFen[i] += a.fundFen()[i];
                paid |= a.fundFen()[i] != 0;
            }
            withFundPay += paid ? 1 : 0;
        }
        // settlements a fund or the account paid for: the clearing's lines (one where nothing was paid is none)
        json.put("acknowledged_with_fund_pay", withFundPay);
        ObjectNode funds = json.putObject("acknowledged_fund_pay");
        for (int i = 0; i < fundFen.length; i++) {
            funds.put(Clerk.FUNDS[i] + "_pay", BigDecimal.valueOf(fundFen[i], 2));
        }
        ArrayNode p = json.putArray("check_problems");
        problems.forEach(p::add);
        return new Result(steps, problems, json);
    }

    private static Step step(Config c, int clerks, int stepSeconds, List<Event> stepEvents, int poolSize, AtomicInteger nextPerson, Map<String, Clerk.Acknowledged> acknowledged,
                             Map<String, BigDecimal> accountPaid, Map<String, Clerk.Discharged> visitOf) throws Exception {
        java.util.Queue<Clerk.Discharged> ready = c.flow() == Flow.SETTLEMENTS
                ? Clerk.prepare(c, poolSize, nextPerson)
                : null;
        Clerk.Tally tally = new Clerk.Tally();
        LongAdder settlements = new LongAdder();
        LongAdder lines = new LongAdder();
        Map<String, Long> ticksBefore = new HashMap<>();
        c.measured().forEach((name, pid) -> ticksBefore.put(name, ProcessStats.cpuTicks(pid)));
        Map<String, Long> jitBefore = new HashMap<>();
        c.measured().forEach((name, pid) -> jitBefore.put(name, ProcessStats.jitTicks(pid)));
        Optional<NodeHeap> heap = NodeHeap.attach(c.nodePid());
        heap.ifPresent(NodeHeap::startSampling);
        long gcBefore = heap.map(NodeHeap::gcMillis).orElse(0L);
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        // the step's end: at its seconds, or (afterEventsSeconds) that long after its last event ended, if earlier
        java.util.concurrent.atomic.AtomicLong stepEnd = new java.util.concurrent.atomic.AtomicLong(
                start + Duration.ofSeconds(stepSeconds).toNanos());
        // paced: the next stay's start, shared by all clerks (a clerk late for its slot starts at once)
        long interval = c.rate() > 0 ? (long) (1e9 / c.rate()) : 0;
        java.util.concurrent.atomic.AtomicLong nextSlot = new java.util.concurrent.atomic.AtomicLong(start);
        ExecutorService pool = Executors.newFixedThreadPool(clerks + 1);
        Future<List<EventOutcome>> events = pool.submit(() -> events(stepEvents, startMillis, stepEnd,
                c.afterEventsSeconds()));
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clerks; t++) {
            int clerk = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(clerk * 7919L + clerks);
                HisClient his = c.hospitals().get(clerk % c.hospitals().size());
                while (System.nanoTime() < stepEnd.get()) {
                    if (interval > 0) {
                        long slot = nextSlot.getAndAdd(interval);
                        while (System.nanoTime() < slot && slot < stepEnd.get()) {
                            java.util.concurrent.locks.LockSupport.parkNanos(slot - System.nanoTime());
                        }
                        if (slot >= stepEnd.get()) {
                            break;
                        }
                    }
                    Clerk.Discharged d = c.flow() == Flow.SETTLEMENTS ? ready.poll() : null;
                    if (c.flow() == Flow.SETTLEMENTS && d == null) {
                        break;
                    }
                    try {
                        if (d != null) {
                            Clerk.settle(d, c, false, tally, settlements, acknowledged, accountPaid, visitOf);
                        } else {
                            // each clerk works on its own patients: one person's stays are settled one after the other
                            Patient patient = nextPatient(c, nextPerson);
                            if (c.flow() == Flow.UPLOADS) {
                                Clerk.uploads(his, c, patient, random, tally, lines);
                            } else {
                                Clerk.stay(his, c, patient, random, tally, lines, settlements, acknowledged, accountPaid, visitOf);
                            }
                        }
                    } catch (Clerk.Failed f) {
                        tally.error(f.kind);
                        tally.failedStayAt.add(System.currentTimeMillis());
                    } catch (RuntimeException e) {
                        tally.error("transport " + e.getClass().getSimpleName());
                        tally.failedStayAt.add(System.currentTimeMillis());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        List<EventOutcome> outcomes = withRefusals(events.get(), tally, System.currentTimeMillis());
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpuPercent = new java.util.LinkedHashMap<>();
        c.measured().forEach((name, pid) -> cpuPercent.put(name, (ProcessStats.cpuTicks(pid) - ticksBefore.get(name)) / seconds));
        // of which the JIT compilers: a step whose processes still compile is not yet steady (a lower bound, as a
        // compiler thread that ended in between is not counted)
        Map<String, Double> jitPercent = new java.util.LinkedHashMap<>();
        c.measured().forEach((name, pid) -> jitPercent.put(name,
                Math.max(0, ProcessStats.jitTicks(pid) - jitBefore.get(name)) / seconds));
        Map<String, long[]> percentiles = new HashMap<>();
        tally.latencies.forEach((k, v) -> percentiles.put(k, ProcessStats.percentiles(v)));
        Map<String, Long> errorCounts = new HashMap<>();
        tally.errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        double cpu = cpuPercent.getOrDefault("treatment node", 0.0);
        long heapPeak = heap.map(NodeHeap::stopSampling).orElse(0L);
        long heapMax = heap.map(NodeHeap::maxMib).orElse(0L);
        long gc = heap.map(h -> h.gcMillis() - gcBefore).orElse(0L);
        heap.ifPresent(NodeHeap::close);
        return new Step(clerks, seconds, settlements.sum(), settlements.sum() / seconds, lines.sum(), lines.sum() / seconds,
                percentiles, errorCounts, cpu, ProcessStats.rssMib(c.nodePid()), heapPeak, heapMax, gc, tally.refusedAt.size(), outcomes,
                cpuPercent, jitPercent);
    }

    /**
     * Runs the events at their seconds of the step (one after the other); the refusals are added afterwards. With
     * {@code afterEventsSeconds}, the step ends that long after the last event ended, if that is before its end.
     */
    private static List<EventOutcome> events(List<Event> events, long startMillis,
                                             java.util.concurrent.atomic.AtomicLong stepEnd, int afterEventsSeconds) {
        List<EventOutcome> outcomes = runEvents(events, startMillis, stepEnd.get());
        if (afterEventsSeconds > 0 && !events.isEmpty()) {
            long after = System.nanoTime() + Duration.ofSeconds(afterEventsSeconds).toNanos();
            stepEnd.accumulateAndGet(after, Math::min);
        }
        return outcomes;
    }

    private static List<EventOutcome> runEvents(List<Event> events, long startMillis, long endNanos) {
        List<EventOutcome> outcomes = new ArrayList<>();
        for (Event e : events.stream().sorted(java.util.Comparator.comparingInt(Event::second)).toList()) {
            long at = startMillis + e.second() * 1000L;
            while (System.currentTimeMillis() < at && System.nanoTime() < endNanos) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(at - System.currentTimeMillis()).toNanos());
            }
            if (System.nanoTime() >= endNanos) {
                outcomes.add(new EventOutcome(e.label(), 0, 0, "not run: the step ended first", false, 0, 0, 0, 0));
                continue;
            }
            long t0 = System.currentTimeMillis();
            String answer;
            boolean ok;
            try {
                answer = e.action().call();
                ok = true;
            } catch (Exception x) {
                answer = String.valueOf(x.getMessage());
                ok = false;
            }
            outcomes.add(new EventOutcome(e.label(), t0, System.currentTimeMillis(), answer, ok, 0, 0, 0, 0));
            System.out.printf("  event %s at %+d ms: %s%s%n", e.label(), t0 - startMillis, ok ? "done in " : "FAILED after ",
                    (System.currentTimeMillis() - t0) + " ms" + (answer.isEmpty() ? "" : ": " + answer.lines().reduce((a, b) -> b).orElse("")));
        }
        return outcomes;
    }

    /** Each event with the refused attempts and failed stays from its start until the next event's (or the end). */
    static List<EventOutcome> withRefusals(List<EventOutcome> events, Clerk.Tally tally, long endMillis) {
        List<EventOutcome> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventOutcome e = events.get(i);
            long from = e.startMillis();
            long to = i + 1 < events.size() && events.get(i + 1).startMillis() > 0 ? events.get(i + 1).startMillis() : endMillis;
            List<Long> refused = tally.refusedAt.stream().filter(t -> t >= from && t < to).sorted().toList();
            long failed = tally.failedStayAt.stream().filter(t -> t >= from && t < to).count();
            out.add(new EventOutcome(e.label(), e.startMillis(), e.endMillis(), e.answer(), e.ok(), refused.size(),
                    refused.isEmpty() ? 0 : refused.get(0), refused.isEmpty() ? 0 : refused.get(refused.size() - 1),
                    e.startMillis() == 0 ? 0 : failed));
        }
        return out;
    }

}
