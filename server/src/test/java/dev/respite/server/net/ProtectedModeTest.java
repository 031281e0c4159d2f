package dev.respite.server.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.server.acl.AclUsers;
import dev.respite.server.command.CommandTable;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Protected mode decided for peers of every kind. The peer address is given, so no traffic leaves the
 * loopback interface to test a non-loopback client.
 */
class ProtectedModeTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("10.20.30.40", 50000);
    private static final InetSocketAddress LOOPBACK4 = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress LOOPBACK6 = new InetSocketAddress("::1", 50000);

    @Test
    void refusesRemotePeersOnlyWhileTheDefaultUserHasNoPassword() {
        AclUsers users = new AclUsers(new CommandTable(), () -> false);
        assertTrue(ProtectedMode.refuses(true, users.defaultUser(), REMOTE));
        assertFalse(ProtectedMode.refuses(true, users.defaultUser(), LOOPBACK4));
        assertFalse(ProtectedMode.refuses(true, users.defaultUser(), LOOPBACK6));
        assertFalse(ProtectedMode.refuses(false, users.defaultUser(), REMOTE));
        users.applyRequirepass("secret");
        assertFalse(ProtectedMode.refuses(true, users.defaultUser(), REMOTE));
    }

    @Test
    void explanationIsRedisText() {
        assertTrue(ProtectedMode.DENIED.startsWith(
                "DENIED Redis is running in protected mode because protected mode is enabled"));
        assertTrue(ProtectedMode.DENIED.endsWith(
                "in order for the server to start accepting connections from the outside."));
    }
}
