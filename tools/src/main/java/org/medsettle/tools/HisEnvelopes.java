package org.medsettle.tools;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The national envelope of one hospital's requests, and its msgids: shared by every way a HIS reaches its node. */
public final class HisEnvelopes {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** How the HIS interface writes a time ({@code inf_time}, {@code begntime}, {@code fee_ocur_time} …). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String hospital;
    private final String treatmentPlace;
    private final AtomicInteger sequence = new AtomicInteger();

    public HisEnvelopes(String hospital, String treatmentPlace) {
        this.hospital = hospital;
        this.treatmentPlace = treatmentPlace;
    }

    public String hospital() {
        return hospital;
    }

    /** A fresh msgid: fixmedins_code + yyyyMMddHHmmss + 4-digit sequence. */
    public String newMsgid() {
        return hospital + STAMP.format(LocalDateTime.now()) + fourDigits(Math.floorMod(sequence.incrementAndGet(), 10_000));
    }

    /** {@code n} with at least four digits, zero-padded ({@code String.format} parses its pattern every time). */
    static String fourDigits(int n) {
        String digits = Integer.toString(n);
        return digits.length() >= 4 ? digits : "0000".substring(digits.length()) + digits;
    }

    public ObjectNode envelope(String infno, String msgid, String insuplc, JsonNode input) {
        ObjectNode e = Signed.JSON.createObjectNode();
        e.put("infno", infno);
        e.put("msgid", msgid);
        e.put("mdtrtarea_admvs", treatmentPlace);
        e.put("insuplc_admdvs", insuplc == null ? "" : insuplc);
        e.put("recer_sys_code", "MEDSETTLE");
        e.put("infver", "V1.0");
        e.put("opter_type", "1");
        e.put("opter", "001");
        e.put("opter_name", "收费员");
        e.put("inf_time", TIME.format(LocalDateTime.now()));
        e.put("fixmedins_code", hospital);
        e.put("fixmedins_name", hospital);
        e.put("sign_no", "");
        e.set("input", input);
        return e;
    }
}
