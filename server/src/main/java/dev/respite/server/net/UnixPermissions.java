package dev.respite.server.net;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Octal Unix permission bits (unixsocketperm 700) as the file permissions Java sets. */
public final class UnixPermissions {
    /** PosixFilePermission's constants run from owner read (0400) down to others execute (0001). */
    private static final PosixFilePermission[] BY_BIT = PosixFilePermission.values();

    private UnixPermissions() {}

    public static Set<PosixFilePermission> of(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BY_BIT.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                out.add(BY_BIT[i]);
            }
        }
        return out;
    }
}
