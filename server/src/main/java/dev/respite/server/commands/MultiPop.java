package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import java.util.Arrays;

/**
 * The arguments of LMPOP, BLMPOP, ZMPOP and BZMPOP: {@code numkeys key [key ...] END [COUNT count]}, where END
 * is LEFT|RIGHT for lists and MIN|MAX for sorted sets, checked in Redis's order and with its messages.
 * {@code head} is true for LEFT and MIN.
 */
record MultiPop(byte[][] keys, boolean head, long count) {
    /** LMPOP/BLMPOP: LEFT or RIGHT. */
    static MultiPop parse(byte[][] a, int numkeysIndex) {
        return parse(a, numkeysIndex, "left", "right");
    }

    /** The form whose end is {@code headWord} or {@code tailWord} (any case). */
    static MultiPop parse(byte[][] a, int numkeysIndex, String headWord, String tailWord) {
        long numkeys = Args.toLong(a[numkeysIndex], "ERR numkeys should be greater than 0");
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        long whereIndex = numkeysIndex + numkeys + 1;
        if (whereIndex >= a.length) {
            throw CommandError.syntax();
        }
        byte[] where = a[(int) whereIndex];
        boolean head = Args.is(where, headWord);
        if (!head && !Args.is(where, tailWord)) {
            throw CommandError.syntax();
        }
        long count = -1;
        for (int i = (int) whereIndex + 1; i < a.length; i++) {
            if (count == -1 && Args.is(a[i], "count") && i + 1 < a.length) {
                count = Args.toLong(a[++i], "ERR count should be greater than 0");
                if (count < 1) {
                    throw new CommandError("ERR count should be greater than 0");
                }
            } else {
                throw CommandError.syntax();
            }
        }
        byte[][] keys = Arrays.copyOfRange(a, numkeysIndex + 1, (int) whereIndex);
        return new MultiPop(keys, head, count == -1 ? 1 : count);
    }
}
