package org.medsettle.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
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

import javax.imageio.ImageIO;

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
 *        [--flow stays|uploads|settlements] [--prepared N] [--process NAME:PID ...]
 * </pre>
 * An events file has lines {@code <second> <label> <command line>}: run during each step at that second (a bundle
 * update for the hot-swap measurement, {@code ./run.sh swap}); the report gives each event's duration and the
 * refused attempts and failed stays from its start to the next event's.
 */
public final class LoadDriver {

    static final String PSN_PREFIX = "63000000000008";
    static final BigDecimal OPENING = new BigDecimal("5000.00");
    static final String[] INFNOS = {"2401", "2301", "2402", "2303", "2304"};

    private LoadDriver() {
    }

    /** The next load-test person, round robin: consecutive stays are of different persons. */
    static String nextPsnNo(Config c, AtomicInteger nextPerson) {
        return psnNo(1 + Math.floorMod(nextPerson.getAndIncrement(), c.persons()));
    }

    static String psnNo(int i) {
        return PSN_PREFIX + String.format("%06d", i);
    }

    /** One clerk's flow failed: which transaction and why (the err_msg cut after its field). */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String kind;

        Failed(String infno, JsonNode answer) {
            this(infno + ": " + answer.path("err_msg").asText(), infno + " infcode " + answer.path("infcode").asText()
                    + " " + cut(answer.path("err_msg").asText()));
        }

        Failed(String message, String kind) {
            super(message, null, false, false);
            this.kind = kind;
        }

        static String cut(String msg) {
            return msg.length() > 60 ? msg.substring(0, 60) : msg;
        }
    }

    /**
     * How long a clerk's HIS repeats a request that got no answer from the node's transactions (connection refused or
     * reset, HTTP 404 while the adapter is being replaced, 503): the same envelope, same msgid, so the node does it
     * at most once. Each such attempt is counted as a refusal.
     */
    static final Duration REPEAT_FOR = Duration.ofSeconds(15);
    static final long REPEAT_PAUSE_NANOS = Duration.ofMillis(50).toNanos();

    /** What the clerks of one step saw: latencies per transaction, errors by kind, refused attempts with their time. */
    static final class Tally {
        final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final java.util.Queue<Long> refusedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.Queue<Long> failedStayAt = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Tally() {
            for (String infno : INFNOS) {
                latencies.put(infno, java.util.Collections.synchronizedList(new ArrayList<>()));
            }
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        void refused(String infno, String why) {
            refusedAt.add(System.currentTimeMillis());
            error(infno + " refused attempt, repeated (" + why + ")");
        }
    }

    public record Item(String code, BigDecimal price) {
    }

    /** What one step measured. */
    public record Step(int clerks, double seconds, long settlements, double perSecond, long lines, double linesPerSecond,
                Map<String, long[]> percentiles, Map<String, Long> errors, double nodeCpuPercent, long nodeRssMib,
                long nodeHeapPeakMib, long nodeHeapMaxMib, long nodeGcMillis, long refusedAttempts,
                List<EventOutcome> events, Map<String, Double> cpuPercent) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && "persons".equals(args[0])) {
            int n = Integer.parseInt(args[1]);
            List<String> lines = new ArrayList<>();
            lines.add("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name");
            for (int i = 1; i <= n; i++) {
                lines.add(psnNo(i) + "," + certno(i) + ",测试,1,1970-01-01,310," + (i % 3 == 0 ? "1102" : "1101") + ",,"
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
                    + "[--events FILE] [--report NAME] [--flow stays|uploads|settlements] [--prepared N] [--process NAME:PID]");
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
        LoadDriver.Config config = new Config(hospitals, opts.get("insured-admdvs"),
                new FilingClient(opts.get("insured"), opts.get("filing-client"), opts.get("filing-key")),
                items(Path.of(opts.get("catalogue"))), Integer.parseInt(opts.get("persons")),
                Arrays.stream(opts.getOrDefault("steps", "1,4,8,16").split(",")).mapToInt(Integer::parseInt).toArray(),
                Integer.parseInt(opts.getOrDefault("seconds", "20")),
                opts.containsKey("node-pid") ? Long.parseLong(opts.get("node-pid")) : -1,
                rate(opts.getOrDefault("rate", "0")),
                opts.containsKey("events") ? Event.read(Path.of(opts.get("events"))) : List.of(),
                Flow.valueOf(opts.getOrDefault("flow", "stays").toUpperCase(java.util.Locale.ROOT)), processes,
                Integer.parseInt(opts.getOrDefault("prepared", "4000")));
        if (config.rate() > 0) {
            System.out.printf("offered load: %.1f stays per second%n", config.rate());
        }
        Result result = run(config);
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        String name = opts.getOrDefault("report", "load");
        Files.writeString(out.resolve(name + ".json"), result.json().toPrettyString() + "\n");
        plot(result.steps(), config.flow(), out.resolve(name + ".png"));
        System.out.println("Report: " + out.resolve(name + ".json") + ", plot: " + out.resolve(name + ".png"));
        if (!result.problems().isEmpty()) {
            System.out.println("CHECK FAILED:");
            result.problems().forEach(p -> System.out.println("  " + p));
            System.exit(1);
        }
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

    public record Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                  int[] steps, int seconds, long nodePid, double rate, List<Event> events, Flow flow,
                  Map<String, Long> processes, int prepared) {

        public Config(List<HisClient> hospitals, String insured, FilingClient filings, List<Item> items, int persons,
                      int[] steps, int seconds, long nodePid) {
            this(hospitals, insured, filings, items, persons, steps, seconds, nodePid, 0, List.of(), Flow.STAYS, Map.of(), 0);
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
     * {@code UPLOADS}: the fee-line upload alone — a clerk admits a patient and uploads {@value #UPLOADS_PER_VISIT}
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
    record Discharged(HisClient his, String psnNo, String mdtrtId, ObjectNode settle) {
    }

    static final int UPLOADS_PER_VISIT = 10;

    /** Something done to the running system at a second of a step; its answer is reported. */
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

    static String certno(int i) {
        String body = "63" + "0101" + "1970" + String.format("%07d", i % 10_000_000);
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int k = 0; k < 17; k++) {
            sum += (body.charAt(k) - '0') * w[k];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    /** Catalogue entries valid today, of classes A and B, with their price limit or a price: what hospitals bill. */
    public static List<Item> items(Path catalogue) throws IOException {
        List<Item> items = new ArrayList<>();
        String today = stayDay();
        List<String> lines = Files.readAllLines(catalogue, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length == 8 && !"C".equals(f[3]) && f[6].compareTo(today) <= 0 && (f[7].isEmpty() || f[7].compareTo(today) >= 0)) {
                items.add(new Item(f[0], f[5].isEmpty() ? new BigDecimal("12.50") : new BigDecimal(f[5])));
            }
        }
        if (items.size() < 30) {
            throw new IllegalStateException("the catalogue has fewer than 30 usable entries: " + catalogue);
        }
        return items;
    }

    public static Result run(Config c) throws Exception {
        // file every load-test person at the insured node (a yearly temporary filing for the treatment province)
        String treatment = c.hospitals().get(0).envelope("9001", "x", "", null).path("mdtrtarea_admvs").asText();
        int year = java.time.LocalDate.parse(stayDay()).getYear();
        for (int i = 1; i <= c.persons(); i++) {
            ObjectNode f = Signed.JSON.createObjectNode();
            f.put("psn_no", psnNo(i));
            f.put("category", "TEMPORARY");
            f.put("mdtrtarea_admvs", treatment);
            f.put("valid_from", year + "-01-01");
            f.put("valid_to", year + "-12-31");
            f.put("evidence", "个人承诺");
            f.put("operator", "load-driver");
            Signed.Answer a = c.filings().file(f);
            if (a.status() != 201) {
                throw new IllegalStateException("filing of " + psnNo(i) + " refused: " + a.body());
            }
        }
        // the balances before the run: a node keeps a person's balance across extracts, so a second run on the
        // same node starts from what the first one left
        Map<String, BigDecimal> opening = new HashMap<>();
        for (int i = 1; i <= c.persons(); i++) {
            opening.put(psnNo(i), balance(c.hospitals().get(0), c.insured(), psnNo(i)));
        }
        List<Step> steps = new ArrayList<>();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();   // setl_id -> psn_no
        Map<String, BigDecimal> accountPaid = new ConcurrentHashMap<>(); // psn_no -> sum of acct_pay
        Map<String, Discharged> visitOf = new ConcurrentHashMap<>();    // setl_id -> the stay and its hospital
        AtomicInteger nextPerson = new AtomicInteger();
        // warm-up, not reported (the JIT of all three instances; its settlements are checked with the others)
        int warmup = Math.min(10, c.seconds());
        Step w = step(c, 8, warmup, List.of(), Math.min(1000, c.prepared()), nextPerson, acknowledged, accountPaid, visitOf);
        System.out.printf("warm-up: %d s, %d settlements, errors %s%n", warmup, w.settlements(), w.errors());
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
            for (EventOutcome e : s.events()) {
                System.out.printf("    %s: %s in %d ms; then %d refused attempts (repeated) over %d ms, %d failed stays%n",
                        e.label(), e.ok() ? "done" : "FAILED", e.endMillis() - e.startMillis(), e.refusedAttempts(),
                        e.refusalWindowMillis(), e.failedStays());
            }
        }
        List<String> problems = check(c, acknowledged, accountPaid, visitOf, opening);
        ObjectNode json = Signed.JSON.createObjectNode();
        json.put("measured", Instant.now().toString());
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores visible to the driver, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        json.put("flow", switch (c.flow()) {
            case STAYS -> "2401, 2301 (30 lines), 2402, 2303, 2304 per stay; cross-province through the hub";
            case UPLOADS -> "2401, then " + UPLOADS_PER_VISIT + " uploads (2301) of 30 lines per stay; nothing settled";
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
            ObjectNode perStay = o.putObject(switch (c.flow()) {
                case STAYS -> "cpu_ms_per_stay";
                case SETTLEMENTS -> "cpu_ms_per_settlement";
                case UPLOADS -> "cpu_ms_per_upload_of_30_lines";
            });
            double perSecond = c.flow() == Flow.UPLOADS ? s.linesPerSecond() / 30.0 : s.perSecond();
            s.cpuPercent().forEach((name, pct) -> {
                cpuOut.put(name, Math.round(pct));
                if (perSecond > 0) {
                    perStay.put(name, Math.round(pct * 100 / perSecond) / 10.0);
                }
            });
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
        ArrayNode p = json.putArray("check_problems");
        problems.forEach(p::add);
        return new Result(steps, problems, json);
    }

    private static Step step(Config c, int clerks, int stepSeconds, List<Event> stepEvents, int poolSize, AtomicInteger nextPerson, Map<String, String> acknowledged,
                             Map<String, BigDecimal> accountPaid, Map<String, Discharged> visitOf) throws Exception {
        java.util.Queue<Discharged> ready = c.flow() == Flow.SETTLEMENTS
                ? prepare(c, poolSize, nextPerson)
                : null;
        Tally tally = new Tally();
        LongAdder settlements = new LongAdder();
        LongAdder lines = new LongAdder();
        Map<String, Long> ticksBefore = new HashMap<>();
        c.measured().forEach((name, pid) -> ticksBefore.put(name, cpuTicks(pid)));
        Optional<NodeHeap> heap = NodeHeap.attach(c.nodePid());
        heap.ifPresent(NodeHeap::startSampling);
        long gcBefore = heap.map(NodeHeap::gcMillis).orElse(0L);
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long end = start + Duration.ofSeconds(stepSeconds).toNanos();
        // paced: the next stay's start, shared by all clerks (a clerk late for its slot starts at once)
        long interval = c.rate() > 0 ? (long) (1e9 / c.rate()) : 0;
        java.util.concurrent.atomic.AtomicLong nextSlot = new java.util.concurrent.atomic.AtomicLong(start);
        ExecutorService pool = Executors.newFixedThreadPool(clerks + 1);
        Future<List<EventOutcome>> events = pool.submit(() -> events(stepEvents, startMillis, end));
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clerks; t++) {
            int clerk = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(clerk * 7919L + clerks);
                HisClient his = c.hospitals().get(clerk % c.hospitals().size());
                while (System.nanoTime() < end) {
                    if (interval > 0) {
                        long slot = nextSlot.getAndAdd(interval);
                        while (System.nanoTime() < slot && slot < end) {
                            java.util.concurrent.locks.LockSupport.parkNanos(slot - System.nanoTime());
                        }
                        if (slot >= end) {
                            break;
                        }
                    }
                    Discharged d = c.flow() == Flow.SETTLEMENTS ? ready.poll() : null;
                    if (c.flow() == Flow.SETTLEMENTS && d == null) {
                        break;
                    }
                    try {
                        if (d != null) {
                            settle(d, c, false, tally, settlements, acknowledged, accountPaid, visitOf);
                        } else {
                            // each clerk works on its own patients: one person's stays are settled one after the other
                            String psnNo = nextPsnNo(c, nextPerson);
                            if (c.flow() == Flow.UPLOADS) {
                                uploads(his, c, psnNo, random, tally, lines);
                            } else {
                                stay(his, c, psnNo, random, tally, lines, settlements, acknowledged, accountPaid, visitOf);
                            }
                        }
                    } catch (Failed f) {
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
        c.measured().forEach((name, pid) -> cpuPercent.put(name, (cpuTicks(pid) - ticksBefore.get(name)) / seconds));
        Map<String, long[]> percentiles = new HashMap<>();
        tally.latencies.forEach((k, v) -> percentiles.put(k, percentiles(v)));
        Map<String, Long> errorCounts = new HashMap<>();
        tally.errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        double cpu = cpuPercent.getOrDefault("treatment node", 0.0);
        long heapPeak = heap.map(NodeHeap::stopSampling).orElse(0L);
        long heapMax = heap.map(NodeHeap::maxMib).orElse(0L);
        long gc = heap.map(h -> h.gcMillis() - gcBefore).orElse(0L);
        heap.ifPresent(NodeHeap::close);
        return new Step(clerks, seconds, settlements.sum(), settlements.sum() / seconds, lines.sum(), lines.sum() / seconds,
                percentiles, errorCounts, cpu, rssMib(c.nodePid()), heapPeak, heapMax, gc, tally.refusedAt.size(), outcomes,
                cpuPercent);
    }

    /** Runs the events at their seconds of the step (one after the other); the refusals are added afterwards. */
    private static List<EventOutcome> events(List<Event> events, long startMillis, long endNanos) {
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
    static List<EventOutcome> withRefusals(List<EventOutcome> events, Tally tally, long endMillis) {
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

    /** 30 fee lines of catalogue items, serials from {@code firstSerial}, into {@code feedetail}; answers their total. */
    private static BigDecimal feeLines(ArrayNode feedetail, Config c, String mdtrtId, String psnNo, Random random,
                                       int firstSerial, String day) {
        BigDecimal total = BigDecimal.ZERO;
        for (int i = firstSerial; i < firstSerial + 30; i++) {
            Item item = c.items().get(random.nextInt(c.items().size()));
            BigDecimal cnt = BigDecimal.valueOf(1 + random.nextInt(5));
            BigDecimal amount = item.price().multiply(cnt).setScale(2, java.math.RoundingMode.HALF_UP);
            feedetail.addObject().put("feedetl_sn", String.format("%04d", i)).put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                    .put("fee_ocur_time", day + " 09:00:00").put("med_list_codg", item.code())
                    .put("medins_list_codg", "H" + i).put("pric", item.price()).put("cnt", cnt)
                    .put("det_item_fee_sumamt", amount);
            total = total.add(amount);
        }
        return total;
    }

    /** The upload flow: one admission, then {@value #UPLOADS_PER_VISIT} uploads of 30 lines to it. */
    private static void uploads(HisClient his, Config c, String psnNo, Random random, Tally tally, LongAdder lines) {
        String day = stayDay();
        String mdtrtId = ok("2401", his, c.insured(), admission(psnNo, c.insured(), day, random), tally)
                .path("result").path("mdtrt_id").asText();
        for (int u = 0; u < UPLOADS_PER_VISIT; u++) {
            ObjectNode upload = Signed.JSON.createObjectNode();
            feeLines(upload.putArray("feedetail"), c, mdtrtId, psnNo, random, 1 + 30 * u, day);
            ok("2301", his, c.insured(), upload, tally);
            lines.add(30);
        }
    }

    /**
     * The day of a driven stay: yesterday in China, so that admission (08:00), fees (09:00) and discharge (18:00) are
     * in the node's past whatever the hour (the node refuses times ahead of its clock, docs/security.md).
     */
    static String stayDay() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1).toString();
    }

    private static ObjectNode admission(String psnNo, String insured, String day, Random random) {
        ObjectNode admission = Signed.JSON.createObjectNode();
        admission.putObject("mdtrtinfo").put("psn_no", psnNo).put("insutype", "310").put("begntime", day + " 08:00:00")
                .put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "-").put("med_type", "21")
                .put("ipt_no", "ZY" + random.nextInt(1_000_000)).put("insuplc_admdvs", insured);
        return admission;
    }

    private static void stay(HisClient his, Config c, String psnNo, Random random, Tally tally,
                             LongAdder lines, LongAdder settlements, Map<String, String> acknowledged,
                             Map<String, BigDecimal> accountPaid, Map<String, Discharged> visitOf) {
        settle(discharged(his, c, psnNo, random, tally, lines), c, true, tally, settlements, acknowledged, accountPaid,
                visitOf);
    }

    /** 2401, 2301 of 30 lines, 2402. */
    private static Discharged discharged(HisClient his, Config c, String psnNo, Random random, Tally tally, LongAdder lines) {
        String insured = c.insured();
        String day = stayDay();
        String mdtrtId = ok("2401", his, insured, admission(psnNo, insured, day, random), tally).path("result").path("mdtrt_id").asText();
        ObjectNode upload = Signed.JSON.createObjectNode();
        BigDecimal total = feeLines(upload.putArray("feedetail"), c, mdtrtId, psnNo, random, 1, day);
        ok("2301", his, insured, upload, tally);
        lines.add(30);
        ObjectNode discharge = Signed.JSON.createObjectNode();
        discharge.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", psnNo).put("insutype", "310")
                .put("endtime", day + " 18:00:00");
        ok("2402", his, insured, discharge, tally);
        ObjectNode settle = Signed.JSON.createObjectNode();
        settle.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "-")
                .put("medfee_sumamt", total).put("psn_setlway", "01").put("mdtrt_id", mdtrtId).put("insutype", "310")
                .put("acct_used_flag", "1").put("mid_setl_flag", "0");
        return new Discharged(his, psnNo, mdtrtId, settle);
    }

    /** [2303], 2304, and the acknowledged settlement noted for the checks. */
    private static void settle(Discharged d, Config c, boolean preSettle, Tally tally, LongAdder settlements,
                               Map<String, String> acknowledged, Map<String, BigDecimal> accountPaid,
                               Map<String, Discharged> visitOf) {
        if (preSettle) {
            ok("2303", d.his(), c.insured(), d.settle(), tally);
        }
        JsonNode info = ok("2304", d.his(), c.insured(), d.settle(), tally).path("setlinfo");
        String setlId = info.path("setl_id").asText();
        if (acknowledged.put(setlId, d.psnNo()) != null) {
            throw new IllegalStateException("setl_id " + setlId + " acknowledged twice");
        }
        visitOf.put(setlId, d);
        accountPaid.merge(d.psnNo(), info.path("acct_pay").decimalValue(), BigDecimal::add);
        settlements.increment();
    }

    /** Stays ready to settle, made by 8 clerks before a step of the settlement flow (not timed). */
    private static java.util.Queue<Discharged> prepare(Config c, int count, AtomicInteger nextPerson) throws Exception {
        java.util.Queue<Discharged> ready = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicInteger made = new AtomicInteger();
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < 8; t++) {
            int clerk = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(clerk * 104729L + count);
                HisClient his = c.hospitals().get(clerk % c.hospitals().size());
                while (made.getAndIncrement() < count) {
                    ready.add(discharged(his, c, nextPsnNo(c, nextPerson), random, tally, new LongAdder()));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("  prepared %d discharged stays in %.1f s%n", ready.size(), (System.nanoTime() - t0) / 1e9);
        return ready;
    }

    /** One transaction as a clerk's HIS does it: repeated with the same msgid while the node's transactions do not answer. */
    private static JsonNode ok(String infno, HisClient his, String insured, JsonNode input, Tally tally) {
        long t0 = System.nanoTime();
        byte[] envelope;
        try {
            envelope = Signed.JSON.writeValueAsBytes(his.envelope(infno, his.newMsgid(), insured, input));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long giveUp = t0 + REPEAT_FOR.toNanos();
        JsonNode answer;
        while (true) {
            String refusal;
            try {
                Signed.Answer a = his.sendRaw(envelope);
                if (a.status() != 503 && a.body().has("infcode")) {
                    answer = a.body();
                    break;
                }
                refusal = "HTTP " + a.status();
            } catch (IllegalStateException e) {
                refusal = "no connection";
            }
            tally.refused(infno, refusal);
            if (System.nanoTime() > giveUp) {
                throw new Failed(infno + ": no answer for " + REPEAT_FOR.toSeconds() + " s (" + refusal + ")",
                        infno + " no answer for " + REPEAT_FOR.toSeconds() + " s (" + refusal + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(REPEAT_PAUSE_NANOS);
        }
        tally.latencies.get(infno).add((System.nanoTime() - t0) / 1_000_000);
        if (!"0".equals(answer.path("infcode").asText())) {
            throw new Failed(infno, answer);
        }
        return answer.path("output");
    }

    static long[] percentiles(List<Long> samples) {
        long[] s = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        if (s.length == 0) {
            return new long[] {0, 0, 0, 0};
        }
        return new long[] {s[(int) (s.length * 0.50)], s[Math.min(s.length - 1, (int) (s.length * 0.95))],
                s[Math.min(s.length - 1, (int) (s.length * 0.99))], s[s.length - 1]};
    }

    /** Every acknowledged settlement is at the node once (5203) and every patient's balance adds up (1101). */
    static List<String> check(Config c, Map<String, String> acknowledged, Map<String, BigDecimal> accountPaid,
                              Map<String, Discharged> visitOf, Map<String, BigDecimal> opening) {
        List<String> problems = new ArrayList<>();
        HisClient his = c.hospitals().get(0);
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            Discharged d = visitOf.get(e.getKey());
            ObjectNode q = Signed.JSON.createObjectNode();
            q.putObject("data").put("psn_no", e.getValue()).put("setl_id", e.getKey()).put("mdtrt_id", d.mdtrtId());
            // asked by the hospital that settled it: a hospital sees only its own visits
            JsonNode a = d.his().call("5203", c.insured(), q);
            if (!"0".equals(a.path("infcode").asText())) {
                problems.add("acknowledged settlement " + e.getKey() + " not found at the node: " + a.path("err_msg").asText());
            }
        }
        for (Map.Entry<String, BigDecimal> e : accountPaid.entrySet()) {
            BigDecimal balance = balance(his, c.insured(), e.getKey());
            BigDecimal expected = opening.getOrDefault(e.getKey(), OPENING).subtract(e.getValue());
            if (balance == null || expected.compareTo(balance) != 0) {
                problems.add(e.getKey() + ": balance " + balance + " at the insured node, expected " + expected);
            }
        }
        return problems;
    }

    /** A person's account balance at the insured node, asked through the treatment node (1101). */
    static BigDecimal balance(HisClient his, String insured, String psnNo) {
        ObjectNode q = Signed.JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo);
        JsonNode a = his.call("1101", insured, q);
        if (!"0".equals(a.path("infcode").asText())) {
            throw new IllegalStateException("1101 of " + psnNo + " refused: " + a.path("err_msg").asText());
        }
        return a.path("output").path("insuinfo").path(0).path("balc").decimalValue();
    }

    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long rssMib(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Throughput (settlements/s, blue) and 2304 p99 (ms, red) against the number of concurrent clerks. */
    static void plot(List<Step> steps, Flow flow, Path file) throws IOException {
        String m = flow.measured();
        boolean stays = flow == Flow.STAYS;
        int w = 720;
        int h = 420;
        int left = 70;
        int right = 70;
        int top = 40;
        int bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(stays ? "2304 settlements/s (blue) and 2304 p99 ms (red) against concurrent clerks"
                : "fee lines uploaded/s (blue) and 2301 p99 ms (red) against concurrent clerks", left, 20);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        double maxX = steps.stream().mapToInt(Step::clerks).max().orElse(1);
        double maxT = Math.max(1, steps.stream().mapToDouble(s -> stays ? s.perSecond() : s.linesPerSecond()).max().orElse(1)) * 1.15;
        double maxP = Math.max(1, steps.stream().mapToLong(s -> s.percentiles().get(m)[2]).max().orElse(1)) * 1.15;
        int pw = w - left - right;
        int ph = h - top - bottom;
        for (int i = 0; i <= 4; i++) {
            int y = top + ph - ph * i / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLUE);
            g.drawString(String.format("%.0f", maxT * i / 4), 10, y + 4);
            g.setColor(Color.RED);
            g.drawString(String.format("%.0f", maxP * i / 4), left + pw + 8, y + 4);
        }
        g.setColor(Color.BLACK);
        for (Step s : steps) {
            int x = left + (int) (pw * s.clerks() / maxX);
            g.drawString(String.valueOf(s.clerks()), x - 4, top + ph + 18);
        }
        g.drawString("clerks", left + pw / 2 - 15, h - 10);
        g.setStroke(new BasicStroke(2f));
        for (int series = 0; series < 2; series++) {
            g.setColor(series == 0 ? Color.BLUE : Color.RED);
            int px = -1;
            int py = -1;
            for (Step s : steps) {
                double v = series == 0 ? (stays ? s.perSecond() : s.linesPerSecond()) / maxT : s.percentiles().get(m)[2] / maxP;
                int x = left + (int) (pw * s.clerks() / maxX);
                int y = top + ph - (int) (ph * v);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
