package org.medsettle.clearing.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingHub;

/**
 * A month's flows between provinces as an SVG heat map: row = the insured province (参保地) that pays, column = the
 * treatment province (就医地) that receives, each cell the amount in yuan, darker the more; the last column and row
 * each province's net (green: it is paid, red: it pays). Plain SVG text: no fonts or graphics libraries needed on the
 * server, and any browser shows it.
 */
final class ClearingPicture {

    private static final int CELL_W = 110;
    private static final int CELL_H = 34;
    private static final int LEFT = 120;
    private static final int TOP = 110;

    private ClearingPicture() {
    }

    /** @param flows fen by {@code insured|treatment} */
    static String svg(ClearingHub.Run run, List<Admdvs> provinces, Map<String, Long> flows) {
        int n = provinces.size();
        long max = flows.values().stream().mapToLong(Math::abs).max().orElse(0);
        long[] net = new long[n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                long v = flows.getOrDefault(provinces.get(r).code() + "|" + provinces.get(c).code(), 0L);
                net[r] -= v;
                net[c] += v;
            }
        }
        int width = LEFT + (n + 1) * CELL_W + 20;
        int height = TOP + (n + 1) * CELL_H + 60;
        StringBuilder b = new StringBuilder(4096);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(b, 10, 24, 16, "bold", "start", "Clearing " + run.clearingId() + " (" + run.month() + "): who pays whom, yuan");
        text(b, 10, 44, 12, "normal", "start", run.clearedLines() + " lines cleared, " + run.cases()
                + " carried forward; the nets sum to " + yuan(run.netSum()));
        text(b, LEFT + n * CELL_W / 2, TOP - 40, 12, "bold", "middle", "treatment province (receives)");
        text(b, 10, TOP - 10, 12, "bold", "start", "insured (pays)");
        for (int i = 0; i < n; i++) {
            text(b, LEFT + i * CELL_W + CELL_W / 2, TOP - 10, 12, "bold", "middle", provinces.get(i).code());
            text(b, LEFT - 10, TOP + i * CELL_H + CELL_H / 2 + 4, 12, "bold", "end", provinces.get(i).code());
        }
        text(b, LEFT + n * CELL_W + CELL_W / 2, TOP - 10, 12, "bold", "middle", "net");
        text(b, LEFT - 10, TOP + n * CELL_H + CELL_H / 2 + 4, 12, "bold", "end", "net");
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                long v = flows.getOrDefault(provinces.get(r).code() + "|" + provinces.get(c).code(), 0L);
                int x = LEFT + c * CELL_W;
                int y = TOP + r * CELL_H;
                String fill = r == c ? "#eeeeee" : shade(v, max);
                b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(CELL_W)
                        .append("\" height=\"").append(CELL_H).append("\" fill=\"").append(fill)
                        .append("\" stroke=\"#999999\"/>\n");
                if (v != 0) {
                    boolean dark = max > 0 && Math.abs(v) * 2 > max;
                    b.append("<text x=\"").append(x + CELL_W / 2).append("\" y=\"").append(y + CELL_H / 2 + 4)
                            .append("\" text-anchor=\"middle\" fill=\"").append(dark ? "white" : "black").append("\">")
                            .append(yuan(v)).append("</text>\n");
                }
            }
            netCell(b, LEFT + n * CELL_W, TOP + r * CELL_H, net[r]);
        }
        for (int c = 0; c < n; c++) {
            netCell(b, LEFT + c * CELL_W, TOP + n * CELL_H, net[c]);
        }
        text(b, 10, TOP + (n + 1) * CELL_H + 30, 11, "normal", "start",
                "Each cell: what the row's insured province pays the column's treatment province. "
                        + "Net: received minus paid (green: paid to the province; red: it pays).");
        b.append("</svg>\n");
        return b.toString();
    }

    private static void netCell(StringBuilder b, int x, int y, long fen) {
        String fill = fen > 0 ? "#d9f2d9" : fen < 0 ? "#f7d4d4" : "#ffffff";
        b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(CELL_W)
                .append("\" height=\"").append(CELL_H).append("\" fill=\"").append(fill)
                .append("\" stroke=\"#999999\"/>\n");
        b.append("<text x=\"").append(x + CELL_W / 2).append("\" y=\"").append(y + CELL_H / 2 + 4)
                .append("\" text-anchor=\"middle\" font-weight=\"bold\">").append(yuan(fen)).append("</text>\n");
    }

    /** Blue, from white (nothing) to dark (the largest flow). */
    static String shade(long fen, long max) {
        if (fen == 0 || max == 0) {
            return "#ffffff";
        }
        double share = Math.min(1.0, Math.abs((double) fen) / max);
        int r = (int) Math.round(255 - share * (255 - 8));
        int g = (int) Math.round(255 - share * (255 - 69));
        int bl = (int) Math.round(255 - share * (255 - 148));
        return String.format("#%02x%02x%02x", r, g, bl);
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    private static void text(StringBuilder b, int x, int y, int size, String weight, String anchor, String text) {
        b.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"").append(size)
                .append("\" font-weight=\"").append(weight).append("\" text-anchor=\"").append(anchor).append("\">")
                .append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</text>\n");
    }
}
