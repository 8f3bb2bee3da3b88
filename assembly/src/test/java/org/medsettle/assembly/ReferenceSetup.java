package org.medsettle.assembly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.medsettle.tools.HisClient;
import org.medsettle.tools.SequenceReplay;

/**
 * What the process tests that replay reference sequences of one treatment province set up alike: the sequences of
 * that province for some insured provinces, their persons imported at the insured nodes, and a hospital of each
 * level of the treatment province as a HIS client.
 */
final class ReferenceSetup {

    private ReferenceSetup() {
    }

    /** The reference sequences settled at {@code treatment} for people insured in one of {@code insured}. */
    static List<JsonNode> sequences(String treatment, List<String> insured) throws Exception {
        List<JsonNode> sequences = new ArrayList<>();
        for (JsonNode seq : CrossProvinceProcessIT.readSequences()) {
            if (treatment.equals(seq.get("treatment_admdvs").asText())
                    && insured.contains(seq.get("insured_admdvs").asText())) {
                sequences.add(seq);
            }
        }
        return sequences;
    }

    /**
     * One person per sequence ({@code psn_no} = the province's two digits, {@code digit}, a 17-digit number), imported
     * at their insured node as an extract written to {@code work}; answers the {@code psn_no} by sequence name.
     */
    static Map<String, String> importPersons(List<JsonNode> sequences, char digit, Path work,
                                             Map<String, ApplianceInstance> insuredNodes) throws IOException {
        Map<String, String> psnNoOf = new HashMap<>();
        Map<String, List<String>> extracts = new HashMap<>();
        int n = 0;
        for (JsonNode seq : sequences) {
            n++;
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = insured.substring(0, 2) + digit + String.format("%017d", n);
            psnNoOf.put(seq.get("name").asText(), psnNo);
            extracts.computeIfAbsent(insured, k -> new ArrayList<>(List.of(
                    "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name")))
                    .add(SequenceReplay.personCsvLine(seq, psnNo, SequenceReplay.certno(insured, n)));
        }
        for (Map.Entry<String, List<String>> e : extracts.entrySet()) {
            Path file = work.resolve("persons-" + e.getKey() + ".csv");
            Files.write(file, e.getValue(), StandardCharsets.UTF_8);
            insuredNodes.get(e.getKey()).must("person-import " + file);
        }
        return psnNoOf;
    }

    /**
     * The sample catalogue and hospitals imported at {@code node}; a hospital of each level as a HIS client of
     * {@code httpUrl} (the node itself, or a balancer in front of it) with the key the node exported.
     */
    static Map<Integer, HisClient> catalogueAndHospitals(ApplianceInstance node, String admdvs, String httpUrl)
            throws IOException {
        node.must("catalogue-import " + node.home().resolve("samples/catalogue-" + admdvs + ".csv"));
        Path csv = node.home().resolve("samples/hospitals-" + admdvs + ".csv");
        node.must("hospital-import " + csv);
        Map<Integer, HisClient> hospitals = new HashMap<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8).subList(1, 10)) {
            String[] f = line.split(",");
            hospitals.putIfAbsent(Integer.parseInt(f[2]), new HisClient(httpUrl, f[0], node.hospitalKey(f[0]), admdvs));
        }
        return hospitals;
    }
}
