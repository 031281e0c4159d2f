package dev.respite.server.config;

import java.util.List;
import java.util.Locale;

/** The latency-tracking-info-percentiles value: percentiles between 0 and 100, written as Redis writes them. */
public final class Percentiles {
    private Percentiles() {}

    /** Parses the directive's arguments; any one of them may itself hold several space-separated numbers. */
    public static double[] parse(List<String> args) throws ConfigValueException {
        String joined = String.join(" ", args).trim();
        if (joined.isEmpty()) {
            return new double[0];
        }
        String[] parts = joined.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new ConfigValueException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (!(out[i] >= 0.0 && out[i] <= 100.0)) {
                throw new ConfigValueException("Invalid latency-tracking-info-percentiles parameters");
            }
        }
        return out;
    }

    public static String format(double[] percentiles) {
        StringBuilder sb = new StringBuilder();
        for (double p : percentiles) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(trim(p));
        }
        return sb.toString();
    }

    /** "%f" without trailing zeros or a trailing point, as Redis's trimDoubleString leaves it: 99.9, 50. */
    public static String trim(double p) {
        String s = String.format(Locale.ROOT, "%f", p);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }
}
