package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** MODULE as client libraries and tools poke at it: byte-for-byte what a redis-server without modules answers. */
class ModuleTest {
    private static final List<String[]> PROBES = List.of(
            new String[] {"MODULE", "LIST"},
            new String[] {"module", "list"},
            new String[] {"MODULE", "HELP"},
            new String[] {"MODULE", "LOAD", "/nonexistent/module.so"},
            new String[] {"MODULE", "LOAD", "/nonexistent/module.so", "arg1", "arg2"},
            new String[] {"MODULE", "LOADEX", "/nonexistent/module.so"},
            new String[] {"MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "name", "value", "ARGS", "a"},
            new String[] {"MODULE", "UNLOAD", "nosuchmodule"},
            new String[] {"MODULE", "UNLOAD"},
            new String[] {"MODULE", "UNLOAD", "a", "b"},
            new String[] {"MODULE", "LOAD"},
            new String[] {"MODULE", "LIST", "extra"},
            new String[] {"MODULE", "HELP", "extra"},
            new String[] {"MODULE", "NOSUCHSUB"},
            new String[] {"MODULE"});

    @Test
    void answersAsRedisWithTheModuleCommandDisabledByDefault() throws Exception {
        compare();
    }

    @Test
    void answersAsRedisWhenLoadingIsEnabledButNoLibraryLoads() throws Exception {
        compare("--enable-module-command", "yes");
    }

    @Test
    void localSettingAllowsLoopbackClients() throws Exception {
        compare("--enable-module-command", "local");
    }

    @Test
    void clientLibrariesSeeNoModules() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start()) {
            try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
                assertTrue(j.moduleList().isEmpty());
            }
            Tools.Result r = Tools.python(respite.port(), """
                    import os, redis
                    print(redis.Redis(port=int(os.environ['RESPITE_PORT'])).module_list())
                    """);
            assertEquals("", r.stderr());
            assertEquals("[]\n", r.stdout());
        }
    }

    @Test
    void otherContainersAnswerUnknownSubcommandsWithTheirHelpHint() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "NOSUCHSUB");
            d.check("CLIENT", "nosuchsub", "x");
            d.check("COMMAND", "NOSUCHSUB");
            d.check("MODULE", "nosuchsub", "with", "args");
        }
    }

    private static void compare(String... directives) throws Exception {
        try (RespiteProcess respite = RespiteProcess.start(directives);
                RealRedis redis = RealRedis.start(directives);
                Differential d = new Differential(respite.port(), redis.port())) {
            for (String[] probe : PROBES) {
                d.check(probe);
            }
            d.check("CONFIG", "GET", "enable-module-command");
        }
    }
}
