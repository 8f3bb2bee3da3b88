package org.medsettle.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.medsettle.tools.LoadDriver.Flow;
import org.medsettle.tools.LoadDriver.Step;

/** The load driver's plot: a PNG of each step's throughput and p99 against its clerks. */
final class LoadPlot {

    private LoadPlot() {
    }

    /** Throughput (settlements/s, blue) and 2304 p99 (ms, red) against the number of concurrent clerks. */
    static void plot(List<Step> steps, Flow flow, Path file) throws IOException {
        String m = flow.measured();
        boolean stays = flow == Flow.STAYS;
        int w = 720;
        int h = 420;
        int left = 70;
        int right = 70;
        int top = 40;
        int bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(stays ? "2304 settlements/s (blue) and 2304 p99 ms (red) against concurrent clerks"
                : "fee lines uploaded/s (blue) and 2301 p99 ms (red) against concurrent clerks", left, 20);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        double maxX = steps.stream().mapToInt(Step::clerks).max().orElse(1);
        double maxT = Math.max(1, steps.stream().mapToDouble(s -> stays ? s.perSecond() : s.linesPerSecond()).max().orElse(1)) * 1.15;
        double maxP = Math.max(1, steps.stream().mapToLong(s -> s.percentiles().get(m)[2]).max().orElse(1)) * 1.15;
        int pw = w - left - right;
        int ph = h - top - bottom;
        for (int i = 0; i <= 4; i++) {
            int y = top + ph - ph * i / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLUE);
            g.drawString(String.format("%.0f", maxT * i / 4), 10, y + 4);
            g.setColor(Color.RED);
            g.drawString(String.format("%.0f", maxP * i / 4), left + pw + 8, y + 4);
        }
        g.setColor(Color.BLACK);
        for (Step s : steps) {
            int x = left + (int) (pw * s.clerks() / maxX);
            g.drawString(String.valueOf(s.clerks()), x - 4, top + ph + 18);
        }
        g.drawString("clerks", left + pw / 2 - 15, h - 10);
        g.setStroke(new BasicStroke(2f));
        for (int series = 0; series < 2; series++) {
            g.setColor(series == 0 ? Color.BLUE : Color.RED);
            int px = -1;
            int py = -1;
            for (Step s : steps) {
                double v = series == 0 ? (stays ? s.perSecond() : s.linesPerSecond()) / maxT : s.percentiles().get(m)[2] / maxP;
                int x = left + (int) (pw * s.clerks() / maxX);
                int y = top + ph - (int) (ph * v);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
