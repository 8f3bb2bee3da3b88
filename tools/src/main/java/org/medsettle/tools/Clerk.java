package org.medsettle.tools;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

import org.medsettle.tools.LoadDriver.Config;
import org.medsettle.tools.LoadDriver.Item;

/**
 * What one hospital clerk of the load driver does: whole stays (2401, 2301 of 30 lines, 2402, [2303], 2304), uploads
 * alone, or settlements of stays prepared before; each transaction as a HIS does it, repeated with the same msgid
 * while the node's transactions do not answer, and tallied.
 */
final class Clerk {

    private Clerk() {
    }

    static final int UPLOADS_PER_VISIT = 10;

    /** Something done to the running system at a second of a step; its answer is reported. */

    record Discharged(HisClient his, String psnNo, String mdtrtId, ObjectNode settle) {
    }

    /** One clerk's flow failed: which transaction and why (the err_msg cut after its field). */
    static final class Failed extends RuntimeException {
        static final long serialVersionUID = 1L;
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
            for (String infno : LoadDriver.INFNOS) {
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

    /** Half hours of the stay day: a person's stays take them in turn. */
    static final int SLOTS = 48;

    /** When stay {@code slot} of the day is admitted: its half hour's start. */
    static java.time.LocalDateTime admitted(Config c, int slot) {
        return c.stayDay().atStartOfDay().plusMinutes(30L * Math.floorMod(slot, SLOTS));
    }

    static String time(java.time.LocalDateTime t) {
        return HisEnvelopes.TIME.format(t);
    }

    /**
     * 30 fee lines of catalogue items, serials from {@code firstSerial}, into {@code feedetail}, each at its own second
     * from five minutes after the admission; answers their total.
     */
    static BigDecimal feeLines(ArrayNode feedetail, Config c, String mdtrtId, String psnNo, Random random,
                                       int firstSerial, java.time.LocalDateTime admitted) {
        BigDecimal total = BigDecimal.ZERO;
        for (int i = firstSerial; i < firstSerial + 30; i++) {
            Item item = c.items().get(random.nextInt(c.items().size()));
            BigDecimal cnt = BigDecimal.valueOf(1 + random.nextInt(5));
            BigDecimal amount = item.price().multiply(cnt).setScale(2, java.math.RoundingMode.HALF_UP);
            feedetail.addObject().put("feedetl_sn", serial(i)).put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                    .put("fee_ocur_time", time(admitted.plusMinutes(5).plusSeconds(i))).put("med_list_codg", item.code())
                    .put("medins_list_codg", "H" + i).put("pric", item.price()).put("cnt", cnt)
                    .put("det_item_fee_sumamt", amount);
            total = total.add(amount);
        }
        return total;
    }

    /** A fee line's {@code feedetl_sn}: four digits, zero-padded. */
    static String serial(int i) {
        return HisEnvelopes.fourDigits(i);
    }

    /** The upload flow: one admission, then {@value #UPLOADS_PER_VISIT} uploads of 30 lines to it. */
    static void uploads(HisClient his, Config c, LoadDriver.Patient patient, Random random, Tally tally, LongAdder lines) {
        String psnNo = patient.psnNo();
        java.time.LocalDateTime admitted = admitted(c, patient.slot());
        String mdtrtId = ok("2401", his, c, admission(patient, c.insured(), admitted, random), tally)
                .path("result").path("mdtrt_id").asText();
        for (int u = 0; u < UPLOADS_PER_VISIT; u++) {
            ObjectNode upload = Signed.JSON.createObjectNode();
            feeLines(upload.putArray("feedetail"), c, mdtrtId, psnNo, random, 1 + 30 * u, admitted);
            ok("2301", his, c, upload, tally);
            lines.add(30);
        }
    }

    /**
     * The day of a driven stay: yesterday in China, so that every stay of the day (admitted in its half hour, fees
     * from five minutes later, discharged 25 minutes after the admission) is in the node's past whatever the hour
     * (the node refuses times ahead of its clock, docs/security.md).
     */
    static java.time.LocalDate yesterday() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1);
    }

    /** The funds of a settlement's {@code setlinfo} ({@code <fund>_pay}), in the order of the clearing's statements. */
    static final String[] FUNDS = {"hifp", "cvlserv", "hifes", "hifmi", "hifob", "maf", "oth", "acct"};

    /** A settlement acknowledged to the clerk: whose, and what each fund paid (fen). */
    record Acknowledged(String psnNo, long[] fundFen) {
    }

    /** 2401 of {@code patient}, who presents their ID card (02). */
    static ObjectNode admission(LoadDriver.Patient patient, String insured, java.time.LocalDateTime admitted,
                                Random random) {
        ObjectNode admission = Signed.JSON.createObjectNode();
        admission.putObject("mdtrtinfo").put("psn_no", patient.psnNo()).put("insutype", "310")
                .put("begntime", time(admitted)).put("mdtrt_cert_type", "02").put("mdtrt_cert_no", patient.certno())
                .put("med_type", "21")
                .put("ipt_no", "ZY" + random.nextInt(1_000_000)).put("insuplc_admdvs", insured);
        return admission;
    }

    static void stay(HisClient his, Config c, LoadDriver.Patient patient, Random random, Tally tally,
                             LongAdder lines, LongAdder settlements, Map<String, Clerk.Acknowledged> acknowledged,
                             Map<String, BigDecimal> accountPaid, Map<String, Discharged> visitOf) {
        settle(discharged(his, c, patient, random, tally, lines), c, true, tally, settlements, acknowledged, accountPaid,
                visitOf);
    }

    /** 2401, 2301 of 30 lines, 2402: a stay of half an hour in the patient's slot of the stay day. */
    static Discharged discharged(HisClient his, Config c, LoadDriver.Patient patient, Random random, Tally tally,
                                 LongAdder lines) {
        String insured = c.insured();
        String psnNo = patient.psnNo();
        java.time.LocalDateTime admitted = admitted(c, patient.slot());
        String mdtrtId = ok("2401", his, c, admission(patient, insured, admitted, random), tally).path("result").path("mdtrt_id").asText();
        ObjectNode upload = Signed.JSON.createObjectNode();
        BigDecimal total = feeLines(upload.putArray("feedetail"), c, mdtrtId, psnNo, random, 1, admitted);
        ok("2301", his, c, upload, tally);
        lines.add(30);
        ObjectNode discharge = Signed.JSON.createObjectNode();
        discharge.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", psnNo).put("insutype", "310")
                .put("endtime", time(admitted.plusMinutes(25)));
        ok("2402", his, c, discharge, tally);
        ObjectNode settle = Signed.JSON.createObjectNode();
        settle.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "02").put("mdtrt_cert_no", patient.certno())
                .put("medfee_sumamt", total).put("psn_setlway", "01").put("mdtrt_id", mdtrtId).put("insutype", "310")
                .put("acct_used_flag", "1").put("mid_setl_flag", "0");
        return new Discharged(his, psnNo, mdtrtId, settle);
    }

    /** [2303], 2304, and the acknowledged settlement noted for the checks. */
    static void settle(Discharged d, Config c, boolean preSettle, Tally tally, LongAdder settlements,
                               Map<String, Clerk.Acknowledged> acknowledged, Map<String, BigDecimal> accountPaid,
                               Map<String, Discharged> visitOf) {
        if (preSettle) {
            ok("2303", d.his(), c, d.settle(), tally);
        }
        JsonNode info = ok("2304", d.his(), c, d.settle(), tally).path("setlinfo");
        String setlId = info.path("setl_id").asText();
        long[] fundFen = new long[FUNDS.length];
        for (int i = 0; i < FUNDS.length; i++) {
            fundFen[i] = info.path(FUNDS[i] + "_pay").decimalValue().movePointRight(2).longValueExact();
        }
        if (acknowledged.put(setlId, new Acknowledged(d.psnNo(), fundFen)) != null) {
            throw new IllegalStateException("setl_id " + setlId + " acknowledged twice");
        }
        visitOf.put(setlId, d);
        accountPaid.merge(d.psnNo(), info.path("acct_pay").decimalValue(), BigDecimal::add);
        settlements.increment();
    }

    /** Stays ready to settle, made by 8 clerks before a step of the settlement flow (not timed). */
    static java.util.Queue<Discharged> prepare(Config c, int count, AtomicInteger nextPerson) throws Exception {
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
                    ready.add(discharged(his, c, LoadDriver.nextPatient(c, nextPerson), random, tally, new LongAdder()));
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

    /**
     * One transaction as a clerk's HIS does it: repeated with the same msgid while the node's transactions do not
     * answer (for {@link #REPEAT_FOR}, or the run's {@code --outage} seconds); in an outage run also while the node
     * answers -1 (the outcome not known, or nothing done: "send the same request again").
     */
    static JsonNode ok(String infno, HisClient his, Config c, JsonNode input, Tally tally) {
        long t0 = System.nanoTime();
        byte[] envelope;
        try {
            envelope = Signed.JSON.writeValueAsBytes(his.envelope(infno, his.newMsgid(), c.insured(), input));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Duration repeatFor = c.outageSeconds() > 0 ? Duration.ofSeconds(c.outageSeconds()) : REPEAT_FOR;
        long giveUp = t0 + repeatFor.toNanos();
        JsonNode answer;
        String lastMessage = "";
        while (true) {
            String refusal;
            try {
                Signed.Answer a = his.sendRaw(envelope);
                if (a.status() != 503 && a.body().has("infcode")) {
                    boolean repeatIt = c.outageSeconds() > 0 && "-1".equals(a.body().path("infcode").asText());
                    if (!repeatIt) {
                        answer = a.body();
                        break;
                    }
                    refusal = "infcode -1";
                    lastMessage = ": " + Failed.cut(a.body().path("err_msg").asText());
                } else {
                    refusal = "HTTP " + a.status();
                }
            } catch (IllegalStateException e) {
                refusal = "no connection";
            }
            tally.refused(infno, refusal);
            if (System.nanoTime() > giveUp) {
                throw new Failed(infno + ": no answer for " + repeatFor.toSeconds() + " s (" + refusal + lastMessage + ")",
                        infno + " no answer for " + repeatFor.toSeconds() + " s (" + refusal + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(REPEAT_PAUSE_NANOS);
        }
        tally.latencies.get(infno).add((System.nanoTime() - t0) / 1_000_000);
        if (!"0".equals(answer.path("infcode").asText())) {
            throw new Failed(infno, answer);
        }
        return answer.path("output");
    }
}
