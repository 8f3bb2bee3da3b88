package org.medsettle.tools;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The check after a kill -9 under load ({@code ./run.sh crash}): what a run moved in the two nodes' ledgers agrees
 * with what the clerks were told. For each fund, the treatment node's claim on the insured province
 * ({@code claim:<insured>:<fund>}) grew by exactly the fund payments of the acknowledged settlements, and the insured
 * node's debt to the treatment province ({@code owed:<treatment>:<fund>}) by exactly as much: a settlement the clerk
 * was told of and lost at either node, one committed twice, or one applied at the insured node and never committed
 * at the treatment node (or the reverse) shows as a difference. Usage:
 * <pre>
 *   java -cp medsettle-tools-all.jar org.medsettle.tools.LedgerDelta &lt;report.json&gt; &lt;treatment&gt; &lt;insured&gt;
 *        &lt;treatment before&gt; &lt;treatment after&gt; &lt;insured before&gt; &lt;insured after&gt;
 * </pre>
 * where the report is the load driver's and the four files are {@code medsettle:ledger-balances} as printed before
 * and after the run. Prints each fund's three figures; exits 1 if any differ.
 */
public final class LedgerDelta {

    private LedgerDelta() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: LedgerDelta <report.json> <treatment admdvs> <insured admdvs> <treatment before> "
                    + "<treatment after> <insured before> <insured after>");
            System.exit(2);
        }
        JsonNode report = Signed.JSON.readTree(Files.readAllBytes(Path.of(args[0])));
        List<String> problems = check(report.path("acknowledged_fund_pay"), args[1], args[2], read(args[3]), read(args[4]),
                read(args[5]), read(args[6]), System.out::println);
        if (!problems.isEmpty()) {
            System.out.println("LEDGERS DISAGREE:");
            problems.forEach(p -> System.out.println("  " + p));
            System.exit(1);
        }
        System.out.println("Both ledgers moved by exactly the acknowledged settlements' fund payments.");
    }

    private static Map<String, BigDecimal> read(String file) throws IOException {
        return balances(Files.readString(Path.of(file), StandardCharsets.UTF_8));
    }

    private static final Pattern ROW = Pattern.compile("^\\s*([a-z]+:[0-9A-Za-z]+:[a-z]+|[a-z]+:[0-9A-Za-z]+)\\s*\\|\\s*"
            + "(-?[0-9]+\\.[0-9]{2})\\s*\\|", Pattern.MULTILINE);

    /** The accounts and balances of a {@code ledger-balances} table. */
    public static Map<String, BigDecimal> balances(String table) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            out.put(m.group(1), new BigDecimal(m.group(2)));
        }
        return out;
    }

    /**
     * The differences, if any, between each fund's acknowledged payments ({@code <fund>_pay} of {@code acknowledged}),
     * the growth of the treatment node's claim and the growth of the insured node's debt.
     */
    public static List<String> check(JsonNode acknowledged, String treatment, String insured, Map<String, BigDecimal> treatmentBefore,
                              Map<String, BigDecimal> treatmentAfter, Map<String, BigDecimal> insuredBefore,
                              Map<String, BigDecimal> insuredAfter, java.util.function.Consumer<String> out) {
        List<String> problems = new ArrayList<>();
        if (!acknowledged.isObject()) {
            problems.add("the report has no acknowledged_fund_pay");
            return problems;
        }
        out.accept(String.format("%-8s %16s %16s %16s", "fund", "acknowledged", "claim at " + treatment,
                "owed at " + insured));
        java.util.Set<String> funds = new java.util.TreeSet<>();
        acknowledged.fieldNames().forEachRemaining(f -> funds.add(f.replaceFirst("_pay$", "")));
        for (Map<String, BigDecimal> m : List.of(treatmentBefore, treatmentAfter)) {
            m.keySet().stream().filter(a -> a.startsWith("claim:" + insured + ":")).forEach(a -> funds.add(a.substring(a.lastIndexOf(':') + 1)));
        }
        for (Map<String, BigDecimal> m : List.of(insuredBefore, insuredAfter)) {
            m.keySet().stream().filter(a -> a.startsWith("owed:" + treatment + ":")).forEach(a -> funds.add(a.substring(a.lastIndexOf(':') + 1)));
        }
        for (String fund : funds) {
            BigDecimal told = acknowledged.has(fund + "_pay") ? acknowledged.get(fund + "_pay").decimalValue()
                    : BigDecimal.ZERO;
            String claim = "claim:" + insured + ":" + fund;
            String owed = "owed:" + treatment + ":" + fund;
            BigDecimal claimed = treatmentAfter.getOrDefault(claim, BigDecimal.ZERO)
                    .subtract(treatmentBefore.getOrDefault(claim, BigDecimal.ZERO));
            // the debt is a credit balance: it grows negative
            BigDecimal owes = insuredBefore.getOrDefault(owed, BigDecimal.ZERO)
                    .subtract(insuredAfter.getOrDefault(owed, BigDecimal.ZERO));
            // yuan with 2 decimals in every column, a fund the ledger never moved (no account yet) too
            out.accept(String.format("%-8s %16s %16s %16s", fund, yuan(told), yuan(claimed), yuan(owes)));
            if (told.compareTo(claimed) != 0) {
                problems.add(fund + ": the settlements acknowledged paid " + told + ", the claim at " + treatment
                        + " grew by " + claimed);
            }
            if (told.compareTo(owes) != 0) {
                problems.add(fund + ": the settlements acknowledged paid " + told + ", the debt at " + insured
                        + " grew by " + owes);
            }
        }
        return problems;
    }

    private static String yuan(BigDecimal amount) {
        return (amount.scale() < 2 ? amount.setScale(2) : amount).toPlainString();
    }
}
