package dev.respite.server.replication;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Finds the file descriptor of a connected java.net.Socket, which Java does not expose: on Linux the kernel's
 * connection tables (/proc/net/tcp, tcp6) give the socket's inode from its two ports, and /proc/self/fd the
 * descriptor linked to that inode. -1 elsewhere or when the connection is gone.
 */
final class SocketDescriptors {
    private SocketDescriptors() {}

    static int find(Socket s) {
        try {
            String local = String.format(Locale.ROOT, ":%04X", s.getLocalPort());
            String remote = String.format(Locale.ROOT, ":%04X", s.getPort());
            String inode = inode(Path.of("/proc/net/tcp"), local, remote);
            if (inode == null) {
                inode = inode(Path.of("/proc/net/tcp6"), local, remote);
            }
            if (inode == null) {
                return -1;
            }
            String target = "socket:[" + inode + "]";
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(target)) {
                            return Integer.parseInt(fd.getFileName().toString());
                        }
                    } catch (IOException ignored) {
                        // A descriptor closed while the directory was listed.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The inode of the connection from port {@code local} to port {@code remote} (":PPPP" in hex), or null. */
    private static String inode(Path table, String local, String remote) throws IOException {
        if (!Files.isReadable(table)) {
            return null;
        }
        List<String> lines = Files.readAllLines(table);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                return f[9];
            }
        }
        return null;
    }
}
