package org.medsettle.hospitals.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.medsettle.api.Admdvs;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.imports.CsvFile;

/** Reads the hospital CSV ({@link CsvFile}: strict UTF-8, exact header, 4 fields). */
final class HospitalCsv {

    static final String HEADER = "fixmedins_code,fixmedins_name,hosp_lv,admdvs";
    /** The national code of a designated institution: a letter and 11 digits, e.g. {@code H33030000001}. */
    static final Pattern CODE = Pattern.compile("[A-Z]\\d{11}");

    record Result(List<Hospital> hospitals, int lines, List<String> problems) {
    }

    private HospitalCsv() {
    }

    static Result read(InputStream in, Admdvs nodeProvince) {
        List<Hospital> hospitals = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        int lines = CsvFile.read(in, HEADER, 4, problems, n -> { }, (f, at) -> {
            int before = problems.size();
            String code = f[0].strip();
            String name = f[1].strip();
            String level = f[2].strip();
            String admdvs = f[3].strip();
            if (!CODE.matcher(code).matches()) {
                problems.add(at + "fixmedins_code must be a capital letter and 11 digits (e.g. H33030000001): '" + code + "'");
            } else if (seen.putIfAbsent(code, at) != null) {
                problems.add(at + "fixmedins_code " + code + " appears twice (first at " + seen.get(code).strip() + ")");
            } else if (!code.regionMatches(1, nodeProvince.code(), 0, 2)) {
                // the national code is a letter, the division the institution was registered in, then a serial
                problems.add(at + "fixmedins_code " + code + " carries the division " + code.substring(1, 7)
                        + " (its 2nd to 7th characters), which is not in this node's province " + nodeProvince);
            }
            if (name.isEmpty() || name.length() > 200) {
                problems.add(at + "fixmedins_name must have 1 to 200 characters");
            }
            org.medsettle.api.PlainText.refusal("fixmedins_name", name).ifPresent(p -> problems.add(at + p));
            if (!level.matches("[123]")) {
                problems.add(at + "hosp_lv must be 1, 2 or 3: '" + level + "'");
            }
            Admdvs division = null;
            try {
                division = Admdvs.of(admdvs);
                if (!division.sameProvinceAs(nodeProvince)) {
                    problems.add(at + "admdvs " + admdvs + " is not in this node's province " + nodeProvince);
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + "admdvs: " + e.getMessage());
            }
            if (problems.size() == before) {
                hospitals.add(new Hospital(code, name, Integer.parseInt(level), division));
            }
        });
        return new Result(hospitals, lines, problems);
    }
}
