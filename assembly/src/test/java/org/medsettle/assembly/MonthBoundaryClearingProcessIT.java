package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medsettle.tools.FilingClient;
import org.medsettle.tools.HisClient;
import org.medsettle.tools.SequenceReplay;
import org.medsettle.tools.Signed;

/**
 * The monthly clearing across a month's end, from the tarball: a hub and three province nodes (330000 treats the
 * people of 630000 and 130000). The nodes first run on a business clock six hours before this month began
 * ({@code MEDSETTLE_CLOCK_OFFSET}): every reference sequence of those provinces settles through HIS over HTTP in the
 * last month, a third of the newest settlements are reversed there, and the load driver settles a day of stays of
 * 630000's people. 130000's node is backed up before its last two sequences and restored from that backup when the
 * nodes restart on today's clock: it has lost those settlements, 330000 still claims them. A third more are
 * reversed in this month. The last month is cleared through the hub, the hub killed (kill -9) while it collects
 * the reports: every province's statement equals what this test sums of the settlements and reversals it saw
 * acknowledged in that month (the driver's too) less the lost ones, the statements sum to zero, each lost line is a
 * case ({@code NOT_APPLIED}) carried to the next month and not paid, each node holds the statement the hub made, and
 * 330000's claims left on its ledger are this month's reversals and the lost lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonthBoundaryClearingProcessIT {

    private static final Path WORK = Path.of("target/it-month-boundary").toAbsolutePath();
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final List<String> INSURED = List.of("630000", "130000");

    private ApplianceInstance hub;
    private final Map<String, ApplianceInstance> nodes = new LinkedHashMap<>();

    /** A settlement or reversal acknowledged to the hospital: its insured province and fund amounts (fen). */
    record Acknowledged(String insured, long[] fen) {
    }

    @AfterAll
    void stop() {
        nodes.values().forEach(ApplianceInstance::close);
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aMonthSettledOnOneSideOfItsEndIsClearedOnTheOtherToTheFenAcrossAKilledHub() throws Exception {
        ZonedDateTime monthStart = YearMonth.now(CHINA).atDay(1).atStartOfDay(CHINA);
        Assumptions.assumeTrue(Instant.now().isAfter(monthStart.plusMinutes(70).toInstant()),
                "a month can be cleared one hour after its end: not in this month's first 70 minutes");
        YearMonth last = YearMonth.now(CHINA).minusMonths(1);
        Duration offset = Duration.between(Instant.now(), monthStart.minusHours(6).toInstant());

        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        hub = ApplianceInstance.hub(WORK);
        hub.setting("org.medsettle.clearing.cfg", "retrySeconds", "2");
        hub.setting("org.medsettle.clearing.cfg", "pageLines", "7");
        for (String p : List.of("330000", "630000", "130000")) {
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            node.linkedTo(hub);
            node.env().put("MEDSETTLE_HEAP", "384M");
            node.env().put("MEDSETTLE_CLOCK_OFFSET", offset.toString());
            node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
            node.start();
            nodes.put(p, node);
        }
        Map<String, FilingClient> filingClients = new HashMap<>();
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            // every component up (the filing API's clients among them) before the test uses the node
            e.getValue().awaitHealthy();
            e.getValue().registerAt(hub, e.getKey());
            filingClients.put(e.getKey(), new FilingClient(e.getValue().httpUrl(), "it", e.getValue().filingClient("it")));
        }
        ApplianceInstance zhejiang = nodes.get("330000");
        Map<Integer, HisClient> hospitals = ReferenceSetup.catalogueAndHospitals(zhejiang, "330000", zhejiang.httpUrl());
        List<JsonNode> sequences = ReferenceSetup.sequences("330000", INSURED);
        Map<String, String> psnNoOf = ReferenceSetup.importPersons(sequences, '8', WORK, nodes);
        for (ApplianceInstance node : nodes.values()) {
            node.awaitHealthy();
        }

        // 130000's last two sequences are settled after a backup of 130000, which is then restored: its node loses
        // them (as a node restored after a failed upgrade would) while 330000 still claims them
        List<String> lostNames = new ArrayList<>();
        for (JsonNode seq : sequences) {
            if ("130000".equals(seq.get("insured_admdvs").asText())) {
                lostNames.add(seq.get("name").asText());
            }
        }
        lostNames = new ArrayList<>(lostNames.subList(Math.max(0, lostNames.size() - 2), lostNames.size()));
        assertEquals(2, lostNames.size(), "two sequences of 130000 to lose");
        List<JsonNode> ordered = new ArrayList<>();
        for (JsonNode seq : sequences) {
            if (!lostNames.contains(seq.get("name").asText())) {
                ordered.add(seq);
            }
        }
        for (JsonNode seq : sequences) {
            if (lostNames.contains(seq.get("name").asText())) {
                ordered.add(seq);
            }
        }

        // the last month: every sequence settled, the newest settlement of every third reversed
        List<Acknowledged> lastMonth = new ArrayList<>();
        List<Acknowledged> lost = new ArrayList<>();
        Map<String, List<SequenceReplay.Settled>> settledOf = new HashMap<>();
        Path backup = WORK.resolve("backup-130000");
        for (JsonNode seq : ordered) {
            String name = seq.get("name").asText();
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = psnNoOf.get(name);
            boolean losing = lostNames.contains(name);
            if (losing && !Files.exists(backup)) {
                nodes.get("130000").must("backup " + backup);
            }
            List<Acknowledged> into = losing ? lost : lastMonth;
            Signed.Answer filed = filingClients.get(insured).file(SequenceReplay.filing(seq, psnNo));
            assertEquals(201, filed.status(), name + ": filing " + filed.body());
            SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo, hospitals, true);
            if (!result.differences().isEmpty()) {
                fail(String.join("\n", result.differences()));
            }
            settledOf.put(name, result.settled());
            result.settled().forEach(s -> add(into, insured, s.setlinfo()));
            if (sequences.indexOf(seq) % 3 == 0) {
                List<SequenceReplay.Settled> list = settledOf.get(name);
                add(into, insured, SequenceReplay.reverse(list.remove(list.size() - 1), psnNo, insured));
            }
        }
        assertTrue(!lost.isEmpty(), "the lost sequences moved money");

        // the load driver: a day of 630000's people at 330000's hospitals (yesterday on the nodes' clock)
        Path loadPersons = WORK.resolve("load-persons.csv");
        org.medsettle.tools.LoadDriver.main(new String[] {"persons", "40", loadPersons.toString()});
        nodes.get("630000").must("person-import " + loadPersons);
        java.time.LocalDate stayDay = last.atEndOfMonth().minusDays(1);
        org.medsettle.tools.LoadDriver.Result load = org.medsettle.tools.LoadDriver.run(
                new org.medsettle.tools.LoadDriver.Config(new ArrayList<>(hospitals.values()), "630000",
                        filingClients.get("630000"), org.medsettle.tools.LoadDriver.items(
                                zhejiang.home().resolve("samples/catalogue-330000.csv"), stayDay),
                        40, new int[] {4}, 10, -1, 0, List.of(), org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(),
                        0, stayDay, 0)); // no warm-up: nothing here is a speed
        assertTrue(load.problems().isEmpty(), "the driver's settlements all kept: " + load.problems());
        long driven = load.json().path("acknowledged_settlements").asLong();
        assertTrue(driven > 100, "the driver settled stays: " + load.json());
        long[] drivenFen = new long[8];
        for (int i = 0; i < 8; i++) {
            JsonNode paid = load.json().path("acknowledged_fund_pay").path(FUNDS[i] + "_pay");
            assertTrue(paid.isNumber(), "the driver's report has " + FUNDS[i] + "_pay: " + load.json());
            drivenFen[i] = paid.decimalValue().movePointRight(2).longValueExact();
        }
        System.out.println("[measure] the load driver settled " + driven + " stays of 630000 in " + last);

        // today: the nodes on today's clock, 130000 restored from its backup (README "Backups");
        // the newest settlement of another third reversed in this month
        for (ApplianceInstance node : nodes.values()) {
            node.stop();
        }
        Path database = nodes.get("130000").databaseDirectory().resolve("medsettle");
        ApplianceInstance.deleteRecursively(database);
        copyRecursively(backup.resolve("medsettle"), database);
        for (ApplianceInstance node : nodes.values()) {
            node.env().remove("MEDSETTLE_CLOCK_OFFSET");
            node.start();
        }
        for (ApplianceInstance node : nodes.values()) {
            node.awaitHealthy();
        }
        Map<String, Long> thisMonthClaims = new TreeMap<>();
        int index = 0;
        for (JsonNode seq : sequences) {
            String name = seq.get("name").asText();
            String insured = seq.get("insured_admdvs").asText();
            List<SequenceReplay.Settled> list = settledOf.get(name);
            if (index++ % 3 == 1 && !list.isEmpty() && !lostNames.contains(name)) {
                JsonNode reversal = SequenceReplay.reverse(list.remove(list.size() - 1), psnNoOf.get(name), insured);
                long[] fen = fen(reversal);
                long total = 0;
                for (long v : fen) {
                    total += v;
                }
                thisMonthClaims.merge(insured, total, Long::sum);
            }
        }

        // the clearing of the last month; the hub killed (kill -9) while it collects the nodes' reports
        String id = String.format("CL%04d%02d", last.getYear(), last.getMonthValue());
        String started = hub.must("clearing-run " + last);
        assertTrue(started.contains("Clearing " + id), started);
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>("");
        await("a report half collected").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    seen.set(hub.must("clearing-show " + last));
                    return seen.get().matches("(?s).*\\|\\s+WAITING\\s+\\|\\s+[1-9].*") || !seen.get().contains("WAITING");
                });
        hub.kill();
        System.out.println("[measure] hub killed during the clearing at:\n" + seen.get());
        hub.start();
        hub.awaitHealthy();
        await("the clearing of " + last).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.must("clearing-show").matches("(?s).*" + id + "\\s+\\|\\s+" + last
                        + "\\s+\\|\\s+CLEARED.*"));
        String show = hub.must("clearing-show");
        assertTrue(show.matches("(?s).*CLEARED[^\\n]*\\|\\s+" + lost.size() + "\\s+\\|\\s+0\\s*\\n.*"),
                "a case for each line 130000 lost, nets sum 0: " + show);
        // the lost lines: cases NOT_APPLIED, of this clearing, carried to the next month and not paid
        String cases = hub.must("clearing-cases " + last);
        assertEquals(lost.size(), count(cases, "NOT_APPLIED"), cases);
        String carried = zhejiang.must("clearing-cases");
        assertTrue(carried.contains(lost.size() + " line(s) carried to the next clearing"), carried);
        assertEquals(lost.size(), count(carried, id), "330000 carries the claims 130000 lost: " + carried);

        // every province's statement: the test's own sums of what it saw acknowledged in the last month
        Map<String, long[]> expected = new TreeMap<>();
        Map<String, Integer> lines = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            expected.computeIfAbsent("630000", k -> new long[8])[i] += drivenFen[i];
        }
        // a settlement no fund paid for (the deductible took it all) is no line of the clearing
        lines.merge("630000", load.json().path("acknowledged_with_fund_pay").asInt(), Integer::sum);
        for (Acknowledged a : lastMonth) {
            long[] sum = expected.computeIfAbsent(a.insured(), k -> new long[8]);
            for (int i = 0; i < 8; i++) {
                sum[i] += a.fen()[i];
            }
            lines.merge(a.insured(), 1, Integer::sum);
        }
        long nets = 0;
        for (String insured : INSURED) {
            Map<String, String[]> rows = csv(hub.must("clearing-statement --csv 330000 " + last));
            String[] receives = rows.get(insured + ",receives");
            assertEquals(String.valueOf(lines.get(insured)), receives[5], "lines from " + insured);
            for (int i = 0; i < 8; i++) {
                assertEquals(BigDecimal.valueOf(expected.get(insured)[i], 2).toPlainString(), receives[6 + i],
                        "330000 receives from " + insured + ", fund " + i);
            }
            Map<String, String[]> theirs = csv(hub.must("clearing-statement --csv " + insured + " " + last));
            assertEquals(List.of(receives).subList(6, 15), List.of(theirs.get("330000,pays")).subList(6, 15),
                    insured + " pays what 330000 receives");
            assertEquals(hub.must("clearing-statement --csv " + insured + " " + last),
                    nodes.get(insured).must("clearing-statement --csv " + insured + " " + last),
                    insured + " holds the hub's statement");
        }
        for (String p : List.of("330000", "630000", "130000")) {
            String text = hub.must("clearing-statement " + p + " " + last);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("net (-?[0-9.]+)").matcher(text);
            assertTrue(m.find(), text);
            nets += new BigDecimal(m.group(1)).movePointRight(2).longValueExact();
        }
        assertEquals(0, nets, "the statements sum to zero");

        // 330000's ledger: what it still claims is this month's reversals only
        for (String insured : INSURED) {
            long claimed = 0;
            for (String line : zhejiang.must("ledger-balances claim:" + insured + ":").split("\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("claim:\\d+:\\w+\\s+\\|\\s+(-?[0-9.]+)")
                        .matcher(line);
                if (m.find()) {
                    claimed += new BigDecimal(m.group(1)).movePointRight(2).longValueExact();
                }
            }
            long notPaid = 0;
            for (Acknowledged a : lost) {
                if (a.insured().equals(insured)) {
                    for (long v : a.fen()) {
                        notPaid += v;
                    }
                }
            }
            assertEquals(thisMonthClaims.getOrDefault(insured, 0L) + notPaid, claimed,
                    "claims left on " + insured + ": this month's reversals and the cases, not paid");
        }
        assertTrue(zhejiang.must("ledger-check").contains("OK"));
        assertTrue(nodes.get("630000").must("ledger-check").contains("OK"));
    }

    private static final String[] FUNDS = {"hifp", "cvlserv", "hifes", "hifmi", "hifob", "maf", "oth", "acct"};

    private static int count(String text, String word) {
        return text.split(java.util.regex.Pattern.quote(word), -1).length - 1;
    }

    private static void copyRecursively(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    private static void add(List<Acknowledged> list, String insured, JsonNode setlinfo) {
        long[] fen = fen(setlinfo);
        for (long v : fen) {
            if (v != 0) {
                list.add(new Acknowledged(insured, fen));
                return;
            }
        }
    }

    private static long[] fen(JsonNode setlinfo) {
        long[] fen = new long[8];
        for (int i = 0; i < 8; i++) {
            fen[i] = setlinfo.path(FUNDS[i] + "_pay").decimalValue().movePointRight(2).longValueExact();
        }
        return fen;
    }

    /** The CSV rows by {@code counterpart,direction}. */
    private static Map<String, String[]> csv(String text) {
        Map<String, String[]> rows = new HashMap<>();
        for (String line : text.strip().split("\n")) {
            String[] f = line.strip().split(",");
            if (f.length == 15 && !f[0].equals("clearing_id")) {
                rows.put(f[3] + "," + f[4], f);
            }
        }
        return rows;
    }
}
