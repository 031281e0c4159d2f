package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS: the longest common subsequence of two strings by dynamic programming, walked back from the end as Redis
 * walks it, so that the reported IDX ranges and their order are Redis's.
 */
final class LongestCommonSubsequence {
    private record Range(int aStart, int aEnd, int bStart, int bEnd) {}

    private final DataContext data;

    LongestCommonSubsequence(DataContext data) {
        this.data = data;
    }

    void lcs(Client c, byte[][] args) {
        Object va = c.db().get(args[1]);
        Object vb = c.db().get(args[2]);
        if ((va != null && !(va instanceof byte[])) || (vb != null && !(vb instanceof byte[]))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = va == null ? new byte[0] : (byte[]) va;
        byte[] b = vb == null ? new byte[0] : (byte[]) vb;
        boolean getIdx = false;
        boolean getLen = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < args.length; j++) {
            byte[] opt = args[j];
            if (Args.is(opt, "idx")) {
                getIdx = true;
            } else if (Args.is(opt, "len")) {
                getLen = true;
            } else if (Args.is(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(opt, "minmatchlen") && j < args.length - 1) {
                minMatchLen = Math.max(0, Args.toLong(args[++j]));
            } else {
                throw CommandError.syntax();
            }
        }
        if (getIdx && getLen) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * Integer.BYTES > data.protoMaxBulkLen() || cells > Integer.MAX_VALUE - 8) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int alen = a.length;
        int blen = b.length;
        int w = blen + 1;
        int[] dp = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                dp[i * w + j] = a[i - 1] == b[j - 1]
                        ? dp[(i - 1) * w + j - 1] + 1
                        : Math.max(dp[(i - 1) * w + j], dp[i * w + j - 1]);
            }
        }
        int total = dp[alen * w + blen];
        RespWriter r = c.reply();
        if (getLen) {
            r.integer(total);
            return;
        }
        byte[] result = new byte[total];
        List<Range> ranges = new ArrayList<>();
        int idx = total;
        int i = alen;
        int j = blen;
        // aStart == alen means no range is open.
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (dp[(i - 1) * w + j] > dp[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                if (minMatchLen == 0 || aEnd - aStart + 1 >= minMatchLen) {
                    ranges.add(new Range(aStart, aEnd, bStart, bEnd));
                }
                aStart = alen;
            }
        }
        if (!getIdx) {
            r.bulk(result);
            return;
        }
        r.map(2);
        r.bulk("matches");
        r.array(ranges.size());
        for (Range m : ranges) {
            r.array(withMatchLen ? 3 : 2);
            r.array(2);
            r.integer(m.aStart);
            r.integer(m.aEnd);
            r.array(2);
            r.integer(m.bStart);
            r.integer(m.bEnd);
            if (withMatchLen) {
                r.integer(m.aEnd - m.aStart + 1);
            }
        }
        r.bulk("len");
        r.integer(total);
    }
}
