package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** unixsocket and unixsocketperm: redis-cli -s and redis-py's unix_socket_path reach the server. */
class UnixSocketTest {
    @TempDir
    Path dir;

    @Test
    void clientsConnectThroughTheSocketWhichIsRemovedAtExit() throws Exception {
        Path socket = dir.resolve("respite.sock");
        // A stale file from a crashed run is replaced, as Redis does.
        Files.writeString(socket, "stale");
        try (RespiteProcess p =
                RespiteProcess.startIn(dir, "--unixsocket", socket.toString(), "--unixsocketperm", "700")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String cli = Tools.require("redis-cli");
            Tools.Result set = Tools.run(List.of(cli, "-s", socket.toString(), "SET", "via", "unix"), null, 30);
            assertEquals("OK\n", set.stdout(), set.stderr());
            Tools.Result list = Tools.run(List.of(cli, "-s", socket.toString(), "CLIENT", "LIST"), null, 30);
            assertTrue(list.stdout().contains("addr=" + socket + ":0 laddr=" + socket + ":0 "), list.stdout());
            Tools.Result perm =
                    Tools.run(List.of(cli, "-s", socket.toString(), "CONFIG", "GET", "unixsocketperm"), null, 30);
            assertEquals("unixsocketperm\n700\n", perm.stdout());

            Tools.Result py = Tools.python(
                    p.port(),
                    String.join(
                            "\n",
                            "import redis",
                            "r = redis.Redis(unix_socket_path='" + socket + "')",
                            "print(r.get('via').decode())",
                            "r.set('from', 'python')",
                            "print(redis.Redis(connection_pool=redis.ConnectionPool(connection_class=redis.UnixDomainSocketConnection, path='"
                                    + socket + "')).get('from').decode())"));
            assertEquals("unix\npython\n", py.stdout(), py.stderr());
            assertEquals(0, p.stop());
        }
        assertFalse(Files.exists(socket), "the socket file is removed at exit");
    }

    /** A connection made through the socket while a script is busy is served: it can kill the script. */
    @Test
    void aBusyScriptIsKilledThroughTheSocket() throws Exception {
        Path socket = dir.resolve("busy.sock");
        try (RespiteProcess p = RespiteProcess.startIn(dir, "--unixsocket", socket.toString(), "--io-threads", "1")) {
            Tools.Result r = Tools.python(
                    p.port(),
                    String.join(
                            "\n",
                            "import os, subprocess, threading, time, redis",
                            "r = redis.Redis(port=int(os.environ['RESPITE_PORT']), socket_timeout=20)",
                            "r.config_set('busy-reply-threshold', 200)",
                            "out = {}",
                            "def run():",
                            "    try:",
                            "        r.eval('local i = 0 while true do i = i + 1 end', 0)",
                            "    except redis.exceptions.ResponseError as e:",
                            "        out['res'] = str(e).split(' script: ')[0]",
                            "t = threading.Thread(target=run)",
                            "t.start()",
                            "time.sleep(0.5)",
                            "kill = subprocess.run(['redis-cli', '-s', '" + socket + "', 'SCRIPT', 'KILL'],",
                            "                      capture_output=True, text=True, timeout=20)",
                            "print(kill.stdout.strip())",
                            "t.join(20)",
                            "print(out['res'])"));
            assertEquals("OK\nScript killed by user with SCRIPT KILL...\n", r.stdout(), r.stderr());
        }
    }
}
