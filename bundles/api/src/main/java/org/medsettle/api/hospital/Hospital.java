package org.medsettle.api.hospital;

import java.util.Objects;

import org.medsettle.api.Admdvs;

/**
 * A designated hospital (定点医疗机构) registered on this node.
 *
 * @param code   {@code fixmedins_code}, e.g. {@code H33030000001}
 * @param name   {@code fixmedins_name}
 * @param level  {@code hosp_lv}: 1, 2 or 3; decides the deductible
 * @param admdvs the division the hospital is in
 */
public record Hospital(String code, String name, int level, Admdvs admdvs) {

    public Hospital {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(admdvs, "admdvs");
        if (level < 1 || level > 3) {
            throw new IllegalArgumentException("hospital level must be 1, 2 or 3: " + level);
        }
    }
}
