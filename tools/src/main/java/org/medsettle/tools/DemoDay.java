package org.medsettle.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The demo's sample hospital day: patients insured in Qinghai (630000) treated in Zhejiang (330000) hospitals, as
 * in the conformance sequences shipped in this jar.
 *
 * <pre>
 *   java -jar medsettle-tools-all.jar persons &lt;file&gt;
 *       writes the day's patients as a person extract for the insured node (medsettle:person-import)
 *   java -jar medsettle-tools-all.jar day --treatment &lt;url&gt; --admdvs 330000 --hospital &lt;level&gt;:&lt;code&gt;:&lt;key&gt; (x3)
 *                                      --insured &lt;url&gt; --filing-client &lt;name&gt; --filing-key &lt;key&gt;
 *       files each patient at the insured node (filing API), settles their visits through the HIS interface of
 *       the treatment node, and prints a summary
 * </pre>
 */
public final class DemoDay {

    static final String PSN_PREFIX = "630000000000009";

    private DemoDay() {
    }

    static List<JsonNode> sequences() {
        List<JsonNode> list = new ArrayList<>();
        try (InputStream index = DemoDay.class.getResourceAsStream("/demo/index.txt")) {
            for (String name : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
                if (name.isBlank()) {
                    continue;
                }
                try (InputStream in = DemoDay.class.getResourceAsStream("/demo/" + name)) {
                    list.add(Signed.JSON.readTree(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return list;
    }

    static String psnNo(int i) {
        return PSN_PREFIX + String.format("%05d", i);
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && "persons".equals(args[0])) {
            List<String> lines = new ArrayList<>();
            lines.add("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name");
            List<JsonNode> seqs = sequences();
            for (int i = 0; i < seqs.size(); i++) {
                lines.add(SequenceReplay.personCsvLine(seqs.get(i), psnNo(i + 1), SequenceReplay.certno("630000", 900 + i)));
            }
            Files.write(Path.of(args[1]), lines, StandardCharsets.UTF_8);
            System.out.println(seqs.size() + " demo patients written to " + args[1]);
            return;
        }
        if (args.length == 0 || !"day".equals(args[0])) {
            System.err.println("usage: persons <file> | day --treatment <url> --admdvs <code> --hospital <lv>:<code>:<key> ... "
                    + "--insured <url> --filing-client <name> --filing-key <key>");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        Map<Integer, HisClient> hospitals = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if ("--hospital".equals(args[i])) {
                String[] p = args[i + 1].split(":", 3);
                hospitals.put(Integer.parseInt(p[0]), null);
                opts.put("hospital." + p[0], p[1] + ":" + p[2]);
            } else {
                opts.put(args[i].substring(2), args[i + 1]);
            }
        }
        for (int level = 1; level <= 3; level++) {
            String[] h = opts.get("hospital." + level).split(":", 2);
            hospitals.put(level, new HisClient(opts.get("treatment"), h[0], h[1], opts.get("admdvs")));
        }
        FilingClient filings = new FilingClient(opts.get("insured"), opts.get("filing-client"), opts.get("filing-key"));
        run(sequences(), hospitals, filings);
    }

    /**
     * Whether the person has this filing already, active (the demo run again on the same databases): a long-term
     * filing cannot be filed anew within six months of being made, nor need it be.
     */
    static boolean filedBefore(FilingClient filings, JsonNode filing) {
        Signed.Answer listed = filings.forPerson(filing.get("psn_no").asText());
        if (listed.status() != 200) {
            throw new IllegalStateException("filings of " + filing.get("psn_no").asText() + ": " + listed.status()
                    + " " + listed.body());
        }
        for (JsonNode f : listed.body().path("filings")) {
            if ("ACTIVE".equals(f.path("state").asText())
                    && f.path("category").asText().equals(filing.get("category").asText())
                    && f.path("mdtrtarea_admvs").asText().equals(filing.get("mdtrtarea_admvs").asText())
                    && f.path("valid_from").asText().equals(filing.get("valid_from").asText())) {
                return true;
            }
        }
        return false;
    }

    static void run(List<JsonNode> seqs, Map<Integer, HisClient> hospitals, FilingClient filings) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (String f : List.of("medfee_sumamt", "hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "fund_pay_sumamt",
                "acct_pay", "psn_cash_pay")) {
            totals.put(f, BigDecimal.ZERO);
        }
        int visits = 0;
        int settlements = 0;
        System.out.printf("%-22s %-10s %6s %12s %12s %10s %10s%n", "patient", "filing", "visits", "total", "funds",
                "account", "cash");
        for (int i = 0; i < seqs.size(); i++) {
            JsonNode seq = seqs.get(i);
            String psnNo = psnNo(i + 1);
            JsonNode filing = SequenceReplay.filing(seq, psnNo);
            if (!filedBefore(filings, filing)) {
                Signed.Answer filed = filings.file(filing);
                if (filed.status() != 201) {
                    throw new IllegalStateException("filing of " + psnNo + " refused: " + filed.body());
                }
            }
            SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo, hospitals, false);
            BigDecimal total = BigDecimal.ZERO;
            BigDecimal funds = BigDecimal.ZERO;
            BigDecimal account = BigDecimal.ZERO;
            BigDecimal cash = BigDecimal.ZERO;
            for (SequenceReplay.Settled s : result.settled()) {
                visits++;
                settlements++;
                totals.replaceAll((k, v) -> v.add(s.setlinfo().path(k).decimalValue()));
                total = total.add(s.setlinfo().path("medfee_sumamt").decimalValue());
                funds = funds.add(s.setlinfo().path("fund_pay_sumamt").decimalValue());
                account = account.add(s.setlinfo().path("acct_pay").decimalValue());
                cash = cash.add(s.setlinfo().path("psn_cash_pay").decimalValue());
            }
            System.out.printf("%-22s %-10s %6d %12s %12s %10s %10s%n", psnNo, seq.get("filing_category").asText(),
                    result.settled().size(), total, funds, account, cash);
        }
        System.out.println();
        System.out.println("Visits: " + visits + ", settlements: " + settlements);
        System.out.println("Totals (yuan):");
        totals.forEach((k, v) -> System.out.printf("  %-16s %14s%n", k, v));
    }
}
