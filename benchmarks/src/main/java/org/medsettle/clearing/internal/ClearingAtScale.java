package org.medsettle.clearing.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.store.Actor;
import org.medsettle.ledger.internal.LedgerService;
import org.medsettle.store.internal.StoreComponent;

/**
 * The monthly clearing at scale (issue 12: "clearing a month of 1,000,000 settlements for one province pair finishes
 * in minutes"): writes {@code n} settlements of November 2026 at the treatment node of 330000 for insured persons of
 * 630000 (a tenth of them reversed in the month), as the treatment node writes them (settlement rows and their ledger
 * postings), and the same applications at the insured node of 630000 ({@code insured_settlement} rows, their
 * {@code APPLIED} and {@code UNDONE} postings), each node in its own Derby database on disk; then the real clearing —
 * both nodes' {@link ClearingNode} and the hub's {@link ClearingHubComponent} on a third database — with the hub's
 * messages passed in process as JSON text (the link's TLS is measured elsewhere), and prints each phase's time.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.clearing.internal.ClearingAtScale [n] [dir]}
 */
public final class ClearingAtScale {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private ClearingAtScale() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("medsettle-clearing-scale");
        StoreComponent zhejiang = store(dir.resolve("node-330000"));
        StoreComponent qinghai = store(dir.resolve("node-630000"));
        StoreComponent hubStore = store(dir.resolve("hub"));
        LedgerService zl = new LedgerService(zhejiang, Clock.systemUTC());
        LedgerService ql = new LedgerService(qinghai, Clock.systemUTC());
        long start = System.nanoTime();
        write(n, zhejiang, zl, qinghai, ql);
        System.out.printf("%,d settlements (%,d reversed) written at both nodes in %,d s%n", n, (n + 9) / 10,
                (System.nanoTime() - start) / 1_000_000_000);

        for (int run = 1; run <= 2; run++) {
            long t = System.nanoTime();
            long claims = zl.balances("claim:630000:").stream().mapToLong(b -> b.fen()).sum();
            System.out.printf("the prepayment check's sum of the claims on 630000 (%s yuan): %,d ms%n",
                    Money.ofFen(claims).toYuan(), (System.nanoTime() - t) / 1_000_000);
        }
        Clock clock = Clock.fixed(LocalDateTime.of(2026, 12, 2, 9, 0).atZone(CHINA).toInstant(), ZoneOffset.UTC);
        Map<String, ClearingNode> nodes = Map.of(
                "330000", ClearingNode.of(Admdvs.of("330000"), zhejiang, zhejiang, zl, clock),
                "630000", ClearingNode.of(Admdvs.of("630000"), qinghai, qinghai, ql, clock));
        long[] askMillis = {0};
        HubDirectory directory = new HubDirectory() {
            public List<Node> nodes() {
                return nodes.keySet().stream().sorted().map(p -> new Node(Admdvs.of(p), URI.create("https://" + p),
                        "00".repeat(32), Instant.EPOCH)).toList();
            }

            public String ask(Admdvs node, String type, String body) {
                long t = System.nanoTime();
                try {
                    return nodes.get(node.code()).answer(new HubMessage("m", type, Admdvs.of("100000"), node, body));
                } catch (IllegalArgumentException e) {
                    throw new LinkUnavailableException(e.getMessage(), e);
                } finally {
                    askMillis[0] += (System.nanoTime() - t) / 1_000_000;
                }
            }

            public Node register(Admdvs a, URI u, String c, Actor actor) {
                throw new IllegalArgumentException("the benchmark's hub knows its two nodes only, not " + a);
            }

            public boolean remove(Admdvs a, Actor actor) {
                return false;
            }

            public List<Traffic> traffic() {
                return List.of();
            }

            public long indexSize() {
                return 0;
            }
        };
        hubStore.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
        ClearingHubComponent hub = ClearingHubComponent.forTests(hubStore, hubStore, directory, clock, Duration.ofHours(1),
                5000);
        YearMonth november = YearMonth.of(2026, 11);
        long t0 = System.nanoTime();
        hub.start(november, Actor.console("benchmark"));
        hub.work();
        long total = (System.nanoTime() - t0) / 1_000_000;
        ClearingHub.Run run = hub.run(november).orElseThrow();
        System.out.printf("clearing %s: %s, %,d claim lines, %,d application lines, %,d cleared, %,d cases, nets sum %d%n",
                run.clearingId(), run.state(), run.claimLines(), run.applicationLines(), run.clearedLines(), run.cases(),
                run.netSum());
        System.out.printf("total %,d ms, of which in the nodes' answers %,d ms (reports fixed, pages read, close)%n",
                total, askMillis[0]);
        ClearingStatement s = hub.statement(Admdvs.of("330000"), november);
        System.out.println("330000 receives " + Money.ofFen(s.receives().total()).toYuan() + " yuan from 630000, net "
                + Money.ofFen(s.net()).toYuan());
        System.out.println("ledger check 330000: " + zl.verify().problems().size() + " problem(s); 630000: "
                + ql.verify().problems().size());
        System.out.println("databases: " + dir);
    }

    private static StoreComponent store(Path db) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(db.toString());
        ds.setCreateDatabase("create");
        StoreComponent store = new StoreComponent(ds);
        store.applyOwnSchema(LedgerService.class.getClassLoader(), "db/ledger", "medsettle-ledger");
        store.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
        return store;
    }

    private static void write(int n, StoreComponent treatment, LedgerService tl, StoreComponent insured,
                              LedgerService il) {
        Money z = Money.ZERO;
        int batch = 5_000;
        LocalDateTime first = LocalDateTime.of(2026, 11, 1, 0, 0, 1);
        long seconds = Duration.ofDays(29).toSeconds();
        for (int from = 0; from < n; from += batch) {
            int lo = from;
            int hi = Math.min(n, from + batch);
            treatment.inTransaction("write settlements", c -> {
                Instant now = Instant.now();
                for (int i = lo; i < hi; i++) {
                    SettlementAmounts a = amounts(i);
                    LocalDateTime time = first.plusSeconds(i * seconds / n);
                    String setlId = String.format("33%012d", i);
                    boolean reversed = i % 10 == 0;
                    org.medsettle.treatment.internal.his.ScaleRows.settlement(c, setlId, "SETTLEMENT", null,
                            reversed ? "REVERSED" : "SETTLED", "630000", time, a, now);
                    tl.post(c, Posting.atTreatment(Posting.SETTLED, setlId, Admdvs.of("630000"), "H33030000001", a)
                            .orElseThrow());
                    if (reversed) {
                        String reversalId = String.format("R3%012d", i);
                        SettlementAmounts r = a.negatedWithBalance(z);
                        org.medsettle.treatment.internal.his.ScaleRows.settlement(c, reversalId, "REVERSAL", setlId,
                                "SETTLED", "630000", time.plusMinutes(5), r, now);
                        tl.post(c, Posting.atTreatment(Posting.SETTLED, reversalId, Admdvs.of("630000"), "H33030000001",
                                r).orElseThrow());
                    }
                }
                return null;
            });
            insured.inTransaction("write applications", c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_settlement (setl_id, psn_no, "
                        + "mdtrt_id, mdtrtarea_admvs, fixmedins_code, med_type, setl_time, setl_year, state, change_data, "
                        + "medfee_sumamt, fund_pay_sumamt, hifp_pay, hifmi_pay, hifob_pay, maf_pay, acct_pay, psn_cash_pay, "
                        + "undo_id, applied_at, confirmed_at, undone_at) VALUES (?, ?, ?, '330000', 'H33030000001', '21', "
                        + "?, 2026, ?, '{}', ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = lo; i < hi; i++) {
                        SettlementAmounts a = amounts(i);
                        LocalDateTime time = first.plusSeconds(i * seconds / n);
                        String setlId = String.format("33%012d", i);
                        boolean reversed = i % 10 == 0;
                        Timestamp applied = Timestamp.from(time.atZone(CHINA).toInstant());
                        ps.setString(1, setlId);
                        ps.setString(2, "P" + i);
                        ps.setString(3, "M" + i);
                        ps.setTimestamp(4, Timestamp.valueOf(time));
                        ps.setString(5, reversed ? "UNDONE" : "CONFIRMED");
                        ps.setBigDecimal(6, a.medfeeSumamt().toYuan());
                        ps.setBigDecimal(7, a.fundPaySumamt().toYuan());
                        ps.setBigDecimal(8, a.hifpPay().toYuan());
                        ps.setBigDecimal(9, a.hifmiPay().toYuan());
                        ps.setBigDecimal(10, a.acctPay().toYuan());
                        ps.setBigDecimal(11, a.psnCashPay().toYuan());
                        ps.setString(12, reversed ? String.format("R3%012d", i) : null);
                        ps.setTimestamp(13, applied);
                        ps.setTimestamp(14, applied);
                        ps.setTimestamp(15, reversed ? Timestamp.from(time.plusMinutes(5).atZone(CHINA).toInstant()) : null);
                        ps.addBatch();
                        Posting p = Posting.atInsuredPlace(Posting.APPLIED, setlId, Admdvs.of("330000"), a).orElseThrow();
                        il.post(c, p);
                        if (reversed) {
                            il.post(c, p.opposite(Posting.UNDONE));
                        }
                    }
                    ps.executeBatch();
                }
                return null;
            });
            if ((hi / batch) % 20 == 0 || hi == n) {
                System.out.printf("%,d written%n", hi);
            }
        }
    }

    private static SettlementAmounts amounts(int i) {
        Money z = Money.ZERO;
        long hifp = 100_000 + i % 50_000;
        return new SettlementAmounts(Money.ofFen(hifp * 2), z, z, z, z, z, Money.ofFen(hifp), BigDecimal.ZERO, z, z,
                Money.ofFen(i % 7 * 1_000), z, z, z, Money.ofFen(hifp + i % 7 * 1_000), Money.ofFen(hifp - i % 7 * 1_000),
                Money.ofFen(i % 3 * 500), Money.ofFen(hifp - i % 7 * 1_000 - i % 3 * 500), z);
    }
}
