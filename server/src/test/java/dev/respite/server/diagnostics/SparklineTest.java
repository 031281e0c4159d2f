package dev.respite.server.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparklineTest {
    private static String render(Sparkline line, int columns) {
        StringBuilder sb = new StringBuilder();
        line.render(sb, columns);
        return sb.toString();
    }

    /** What redis-server 7.2.5's LATENCY GRAPH drew for samples of 66 ms and 200 ms taken 2 s and 1 s before. */
    @Test
    void drawsLikeRedis() {
        Sparkline line = new Sparkline();
        line.add(66, "2s");
        line.add(200, "1s");
        assertEquals(" #\n |\n |\n_|\n  \n21\nss\n", render(line, 80));
    }

    @Test
    void equalSamplesSitOnTheBottomRowAndLabelsRunDown() {
        Sparkline line = new Sparkline();
        line.add(5, "10s");
        line.add(5, "9s");
        assertEquals("  \n  \n  \n__\n  \n19\n0s\ns \n", render(line, 80));
    }

    @Test
    void wideSequencesWrapIntoBlocks() {
        Sparkline line = new Sparkline();
        line.add(1, "a");
        line.add(13, "b");
        line.add(7, "c");
        assertEquals(" #\n |\n |\n_|\n  \nab\n\n \n_\n|\n|\n \nc\n", render(line, 2));
    }
}
