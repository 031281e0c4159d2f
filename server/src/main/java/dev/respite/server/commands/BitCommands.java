package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The bitmap family: strings seen as arrays of bits, most significant bit of each byte first. */
public final class BitCommands {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final byte[] EMPTY = new byte[0];

    private final DataContext server;

    public BitCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("setbit", this::setbit);
        t.bind("getbit", this::getbit);
        t.bind("bitcount", this::bitcount);
        t.bind("bitpos", this::bitpos);
        t.bind("bitop", this::bitop);
        t.bind("bitfield", (c, a) -> bitfield(c, a, false));
        t.bind("bitfield_ro", (c, a) -> bitfield(c, a, true));
    }

    /** A bit offset as Redis reads it: optionally "#n" (n fields of {@code bits}), below 8 * proto-max-bulk-len. */
    private long bitOffset(byte[] arg, boolean hash, int bits) {
        int start = hash && arg.length > 0 && arg[0] == '#' ? 1 : 0;
        long v = Args.parseLong(arg, start, arg.length - start);
        if (v == Long.MIN_VALUE && !(start == 0 && Args.isLongMin(arg))) {
            throw new CommandError(BAD_OFFSET);
        }
        if (start == 1) {
            v *= bits;
        }
        if (v < 0 || (v >>> 3) >= server.protoMaxBulkLen()) {
            throw new CommandError(BAD_OFFSET);
        }
        return v;
    }

    /** The string at {@code key} grown with zero bytes to hold {@code maxBit}, created if absent. */
    private static byte[] stringForBits(Database db, byte[] key, long maxBit) {
        Entry e = TypeChecked.entry(db, key, byte[].class);
        int need = (int) (maxBit >>> 3) + 1;
        byte[] v = e == null ? EMPTY : (byte[]) e.value();
        if (v.length >= need && e != null) {
            return v;
        }
        byte[] grown = ValueTypes.modifiedInPlace(Arrays.copyOf(v, Math.max(need, v.length)));
        db.setKeepTtl(key, grown);
        return grown;
    }

    private void setbit(Client c, byte[][] a) {
        long offset = bitOffset(a[2], false, 0);
        long on = Args.toLong(a[3], BAD_BIT);
        if ((on & ~1) != 0) {
            throw new CommandError(BAD_BIT);
        }
        Database db = c.db();
        Entry before = TypeChecked.entry(db, a[1], byte[].class);
        long dirtyBefore = server.keyspace().dirty();
        int lengthBefore = before == null ? -1 : ((byte[]) before.value()).length;
        byte[] v = stringForBits(db, a[1], offset);
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        int old = (v[index] & mask) != 0 ? 1 : 0;
        v[index] = (byte) (on == 1 ? v[index] | mask : v[index] & ~mask);
        ValueTypes.modifiedInPlace(v);
        // As Redis 7: a SETBIT that neither created, grew nor flipped anything is not a change.
        if (v.length != lengthBefore || old != on) {
            db.signalModified(a[1]);
            server.notifier().notify(KeyspaceEvents.STRING, "setbit", db, a[1]);
            server.countChanges(dirtyBefore, 1);
        }
        c.reply().integer(old);
    }

    private void getbit(Client c, byte[][] a) {
        long offset = bitOffset(a[2], false, 0);
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        long index = offset >>> 3;
        int bit = v != null && index < v.length ? (v[(int) index] >> (7 - (int) (offset & 7))) & 1 : 0;
        c.reply().integer(bit);
    }

    /** 0 for BYTE (or no unit), 1 for BIT; a syntax error otherwise. */
    private static boolean isBitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) {
            return true;
        }
        if (Args.is(arg, "byte")) {
            return false;
        }
        throw CommandError.syntax();
    }

    private void bitcount(Client c, byte[][] a) {
        // Redis answers 0 for a missing key before it reads the range.
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long start = 0;
        long end;
        boolean isBit = false;
        if (a.length == 4 || a.length == 5) {
            start = Args.toLong(a[2]);
            end = Args.toLong(a[3]);
            if (a.length == 5) {
                isBit = isBitUnit(a[4]);
            }
        } else if (a.length == 2) {
            end = -1;
        } else {
            throw CommandError.syntax();
        }
        if (a.length > 2 && start < 0 && end < 0 && start > end) {
            c.reply().integer(0);
            return;
        }
        long total = isBit ? (long) v.length << 3 : v.length;
        if (a.length == 2) {
            start = 0;
            end = v.length - 1;
        } else {
            start = start < 0 ? Math.max(0, total + start) : start;
            end = end < 0 ? Math.max(0, total + end) : end;
            end = Math.min(end, total - 1);
        }
        int firstMask = 0;
        int lastMask = 0;
        if (isBit && start <= end) {
            firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
            lastMask = (1 << (7 - (end & 7))) - 1;
            start >>= 3;
            end >>= 3;
        }
        if (start > end) {
            c.reply().integer(0);
            return;
        }
        long count = 0;
        for (int i = (int) start; i <= end; i++) {
            count += Integer.bitCount(v[i] & 0xff);
        }
        count -= Integer.bitCount(v[(int) start] & firstMask);
        count -= Integer.bitCount(v[(int) end] & lastMask);
        c.reply().integer(count);
    }

    private void bitpos(Client c, byte[][] a) {
        long bit = Args.toLong(a[2]);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        long start;
        long end;
        boolean endGiven = false;
        int firstMask = 0;
        int lastMask = 0;
        if (a.length >= 4 && a.length <= 6) {
            long total = v.length;
            start = Args.toLong(a[3]);
            boolean isBit = a.length == 6 && isBitUnit(a[5]);
            if (a.length >= 5) {
                end = Args.toLong(a[4]);
                endGiven = true;
            } else {
                end = isBit ? (total << 3) + 7 : total - 1;
            }
            if (isBit) {
                total <<= 3;
            }
            start = start < 0 ? Math.max(0, total + start) : start;
            end = end < 0 ? Math.max(0, total + end) : end;
            end = Math.min(end, total - 1);
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (a.length == 3) {
            start = 0;
            end = v.length - 1;
        } else {
            throw CommandError.syntax();
        }
        c.reply().integer(bitpos(v, (int) bit, start, end, firstMask, lastMask, endGiven));
    }

    /** Redis's bitpos walk: edge bytes masked, the clear bit just past an open-ended range counts. */
    private static long bitpos(byte[] v, int bit, long start, long end, int firstMask, int lastMask, boolean endGiven) {
        if (start > end) {
            return -1;
        }
        long bytes = end - start + 1;
        long pos;
        result:
        {
            if (firstMask != 0) {
                int b = bit == 1 ? v[(int) start] & ~firstMask : v[(int) start] | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    b = bit == 1 ? b & ~lastMask : b | lastMask;
                }
                pos = firstBit(new byte[] {(byte) b}, 0, 1, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break result;
                }
                start++;
                bytes--;
            }
            long cur = bytes - (lastMask != 0 ? 1 : 0);
            if (cur > 0) {
                pos = firstBit(v, (int) start, (int) cur, bit);
                if (bytes == cur || (pos != -1 && pos != cur << 3)) {
                    break result;
                }
                start += cur;
                bytes -= cur;
            }
            int b = bit == 1 ? v[(int) end] & ~lastMask : v[(int) end] | lastMask;
            pos = firstBit(new byte[] {(byte) b}, 0, 1, bit);
        }
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1;
        }
        return pos == -1 ? -1 : pos + (start << 3);
    }

    /** First bit equal to {@code bit} in the range; for 0 not found, the bit just past it; for 1, -1. */
    private static long firstBit(byte[] v, int from, int count, int bit) {
        int skip = bit == 1 ? 0 : 0xff;
        for (int i = 0; i < count; i++) {
            int b = v[from + i] & 0xff;
            if (b != skip) {
                int x = bit == 1 ? b : ~b & 0xff;
                return ((long) i << 3) + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return bit == 1 ? -1 : (long) count << 3;
    }

    private void bitop(Client c, byte[][] a) {
        byte[] op = a[1];
        int kind =
                Args.is(op, "and") ? 0 : Args.is(op, "or") ? 1 : Args.is(op, "xor") ? 2 : Args.is(op, "not") ? 3 : -1;
        if (kind < 0) {
            throw CommandError.syntax();
        }
        if (kind == 3 && a.length != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        Database db = c.db();
        int n = a.length - 3;
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int j = 0; j < n; j++) {
            byte[] s = TypeChecked.get(c.db(), a[j + 3], byte[].class);
            // BITOP is a write, so the dispatcher does not count its reads of the sources.
            server.keyspace().countHit(s != null);
            src[j] = s == null ? EMPTY : s;
            maxLen = Math.max(maxLen, src[j].length);
        }
        byte[] out = new byte[maxLen];
        for (int i = 0; i < maxLen; i++) {
            int r = i < src[0].length ? src[0][i] : 0;
            if (kind == 3) {
                r = ~r;
            }
            for (int j = 1; j < n; j++) {
                int b = i < src[j].length ? src[j][i] : 0;
                r = kind == 0 ? r & b : kind == 1 ? r | b : r ^ b;
            }
            out[i] = (byte) r;
        }
        // An empty result deletes the destination, as Redis does.
        server.storeOrDelete(db, a[2], ValueTypes.modifiedInPlace(out), maxLen == 0, KeyspaceEvents.STRING, "set");
        c.reply().integer(maxLen);
    }

    private record FieldOp(int code, boolean signed, int bits, long offset, long value, int policy) {}

    private void bitfield(Client c, byte[][] a, boolean readOnlyCommand) {
        List<FieldOp> ops = new ArrayList<>();
        int policy = Bitfield.WRAP;
        boolean writes = false;
        long highest = 0;
        for (int j = 2; j < a.length; j++) {
            int remaining = a.length - j - 1;
            byte[] sub = a[j];
            int code;
            if (Args.is(sub, "get") && remaining >= 2) {
                code = 0;
            } else if (Args.is(sub, "set") && remaining >= 3) {
                code = 1;
            } else if (Args.is(sub, "incrby") && remaining >= 3) {
                code = 2;
            } else if (Args.is(sub, "overflow") && remaining >= 1) {
                byte[] p = a[++j];
                policy = Args.is(p, "wrap")
                        ? Bitfield.WRAP
                        : Args.is(p, "sat") ? Bitfield.SAT : Args.is(p, "fail") ? Bitfield.FAIL : -1;
                if (policy < 0) {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw CommandError.syntax();
            }
            byte[] type = a[j + 1];
            boolean signed;
            // Redis takes only a lower-case i or u here; "I8" is an invalid type.
            if (type.length > 0 && type[0] == 'i') {
                signed = true;
            } else if (type.length > 0 && type[0] == 'u') {
                signed = false;
            } else {
                throw new CommandError(BAD_TYPE);
            }
            long bits = Args.parseLong(type, 1, type.length - 1);
            if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
                throw new CommandError(BAD_TYPE);
            }
            long offset = bitOffset(a[j + 2], true, (int) bits);
            long value = 0;
            if (code != 0) {
                writes = true;
                value = Args.toLong(a[j + 3]);
                highest = Math.max(highest, offset + bits - 1);
            }
            ops.add(new FieldOp(code, signed, (int) bits, offset, value, policy));
            j += code == 0 ? 2 : 3;
        }
        Database db = c.db();
        long dirtyBefore = 0;
        byte[] v;
        // Created or grown: every write counts as a change, as in Redis, whatever the bits held.
        boolean reshaped = false;
        if (!writes) {
            v = TypeChecked.get(c.db(), a[1], byte[].class);
        } else if (readOnlyCommand) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        } else {
            Entry before = TypeChecked.entry(db, a[1], byte[].class);
            int lengthBefore = before == null ? -1 : ((byte[]) before.value()).length;
            dirtyBefore = server.keyspace().dirty();
            v = stringForBits(db, a[1], highest);
            reshaped = v.length != lengthBefore;
        }
        RespWriter r = c.reply();
        r.array(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            if (op.code == 0) {
                byte[] s = v == null ? EMPTY : v;
                r.integer(
                        op.signed
                                ? Bitfield.getSigned(s, op.offset, op.bits)
                                : Bitfield.getUnsigned(s, op.offset, op.bits));
                continue;
            }
            long old =
                    op.signed ? Bitfield.getSigned(v, op.offset, op.bits) : Bitfield.getUnsigned(v, op.offset, op.bits);
            Long next = op.code == 2
                    ? (op.signed
                            ? Bitfield.addSigned(old, op.value, op.bits, op.policy)
                            : Bitfield.addUnsigned(old, op.value, op.bits, op.policy))
                    : (op.signed
                            ? Bitfield.addSigned(op.value, 0, op.bits, op.policy)
                            : Bitfield.addUnsigned(op.value, 0, op.bits, op.policy));
            if (next == null) {
                r.nullBulk();
                continue;
            }
            Bitfield.set(v, op.offset, op.bits, next);
            if (reshaped || old != next) {
                changes++;
            }
            r.integer(op.code == 2 ? next : old);
        }
        if (writes) {
            // Redis unshares the string for any write, so it is left raw even when no bit changed.
            ValueTypes.modifiedInPlace(v);
        }
        if (changes > 0) {
            db.signalModified(a[1]);
            server.notifier().notify(KeyspaceEvents.STRING, "setbit", db, a[1]);
        }
        if (writes) {
            server.countChanges(dirtyBefore, changes);
        }
    }
}
