package dev.respite.server.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The filled ASCII sparkline LATENCY GRAPH draws: each sample is a column four rows high in which
 * {@code _ o #} give three steps per row and {@code |} fills below, with the sample's label written
 * downwards under a blank row. Rows wider than the column limit wrap into further blocks.
 */
final class Sparkline {
    private static final String FILL = "_o#";
    private static final int ROWS = 4;

    private final List<Double> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private double min;
    private double max;

    void add(double value, String label) {
        if (values.isEmpty()) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        values.add(value);
        labels.add(label);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    void render(StringBuilder out, int columns) {
        for (int start = 0; start < values.size(); start += columns) {
            if (start != 0) {
                out.append('\n');
            }
            renderRange(out, start, Math.min(columns, values.size() - start));
        }
    }

    private void renderRange(StringBuilder out, int offset, int len) {
        double range = max - min == 0 ? 1 : max - min;
        int steps = FILL.length() * ROWS;
        char[] chars = new char[len];
        for (int row = 0; ; row++) {
            boolean more = false;
            Arrays.fill(chars, ' ');
            if (row < ROWS) {
                more = len > 0;
                for (int j = 0; j < len; j++) {
                    // The product is truncated to an integer before the division, as Redis does.
                    int step = (int) ((int) ((values.get(offset + j) - min) * steps) / range);
                    step = Math.max(0, Math.min(steps - 1, step));
                    int index = step - (ROWS - row - 1) * FILL.length();
                    if (index >= 0 && index < FILL.length()) {
                        chars[j] = FILL.charAt(index);
                    } else if (index >= FILL.length()) {
                        chars[j] = '|';
                    }
                }
            } else if (row == ROWS) {
                more = len > 0;
            } else {
                int at = row - ROWS - 1;
                for (int j = 0; j < len; j++) {
                    String label = labels.get(offset + j);
                    if (label.length() > at) {
                        more = true;
                        chars[j] = label.charAt(at);
                    }
                }
            }
            if (!more) {
                return;
            }
            out.append(chars).append('\n');
        }
    }
}
