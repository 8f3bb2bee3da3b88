package org.medsettle.api.catalogue;

/** Catalogue class of an item, with its national code {@code chrgitm_lv}. */
public enum ChargeClass {
    /** 甲类: fully in scope. */
    A("01"),
    /** 乙类: in scope after the patient's own first share ({@code selfpay_prop}). */
    B("02"),
    /** 丙类: outside the catalogue, paid by the patient. */
    C("03");

    private final String chrgitmLv;

    ChargeClass(String chrgitmLv) {
        this.chrgitmLv = chrgitmLv;
    }

    /** The national code, {@code 01}, {@code 02} or {@code 03}. */
    public String chrgitmLv() {
        return chrgitmLv;
    }
}
