package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;

import java.util.Arrays;

/**
 * The arguments of LMPOP and BLMPOP: {@code numkeys key [key ...] LEFT|RIGHT [COUNT count]}, checked in
 * Redis's order and with its messages.
 */
record MultiPop(byte[][] keys, boolean left, long count) {
    static MultiPop parse(byte[][] a, int numkeysIndex) {
        long numkeys = Args.toLong(a[numkeysIndex], "ERR numkeys should be greater than 0");
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        long whereIndex = numkeysIndex + numkeys + 1;
        if (whereIndex >= a.length) {
            throw CommandError.syntax();
        }
        boolean left = ListCommands.isLeft(a[(int) whereIndex]);
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
        return new MultiPop(keys, left, count == -1 ? 1 : count);
    }
}
