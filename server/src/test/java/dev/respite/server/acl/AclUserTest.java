package dev.respite.server.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.server.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule bookkeeping of a user and its selectors, on a small command table of the test's own. */
class AclUserTest {
    private final CommandTable table = new CommandTable();

    AclUserTest() {
        for (String name : List.of("get", "set", "hget", "hset", "select", "debug", "config|get", "config|set")) {
            table.bind(name, (c, a) -> {});
        }
    }

    private AclUser user(String... rules) throws AclRuleException {
        AclUser u = new AclUser("u", table, () -> false);
        for (String r : AclUser.mergeSelectors(List.of(rules))) {
            u.apply(r);
        }
        return u;
    }

    private boolean allowed(AclUser u, String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return AclCheck.check(u, table.lookup(a[0]), a) == null;
    }

    @Test
    void aCommandRuleBeforeACategoryRuleThatCoversItIsKeptUntilRepeated() throws AclRuleException {
        AclUser u = user("+@all", "-@hash", "-@slow", "+hget");
        assertEquals("+@all -@hash -@slow +hget", u.describeCommands());
        u.apply("-@hash");
        assertEquals("+@all -@slow +hget -@hash", u.describeCommands());
        u.apply("-@all");
        assertEquals("-@all", u.describeCommands());
    }

    @Test
    void aWholeCommandRuleReplacesItsSubcommandAndFirstArgumentRules() throws AclRuleException {
        AclUser u = user("-@all", "+select|0", "+select|0", "+config|get", "-config|set", "+config");
        assertEquals("-@all +select|0 +config", u.describeCommands());
        assertTrue(allowed(u, "select", "0"));
        assertFalse(allowed(u, "select", "1"));
        assertTrue(allowed(u, "config", "set", "x", "y"));
        u.apply("+select");
        assertEquals("-@all +config +select", u.describeCommands());
        assertTrue(allowed(u, "select", "1"));
    }

    @Test
    void misusedFirstArgumentRulesGiveRedisReasons() throws AclRuleException {
        AclUser u = user();
        assertEquals(
                "Allowing first-arg of a subcommand is not supported",
                assertThrows(AclRuleException.class, () -> u.apply("+config|get|x"))
                        .getMessage());
        assertEquals(
                "Unknown command or category name in ACL",
                assertThrows(AclRuleException.class, () -> u.apply("-select|0")).getMessage());
        assertEquals(
                "Unknown command or category name in ACL",
                assertThrows(AclRuleException.class, () -> u.apply("+get|a|b")).getMessage());
        assertEquals(
                "Syntax error",
                assertThrows(AclRuleException.class, () -> u.apply("+debug|")).getMessage());
    }

    @Test
    void selectorsSpreadOverArgumentsAreJoinedAndAnOpenOneIsRefused() throws AclRuleException {
        assertEquals(
                List.of("on", "(+get ~k1)", "(~k2)"), AclUser.mergeSelectors(List.of("on", "(+get", "~k1)", "(~k2)")));
        AclRuleException e =
                assertThrows(AclRuleException.class, () -> AclUser.mergeSelectors(List.of("(+get", "~k1")));
        assertEquals("Unmatched parenthesis in acl selector starting at '(+get'.", e.getMessage());
        AclUser u = user("on", "nopass", "(+get", "~k1)", "(+set ~k2)");
        assertEquals(
                "user u on nopass sanitize-payload resetchannels -@all (~k1 resetchannels -@all +get)"
                        + " (~k2 resetchannels -@all +set)",
                u.describe());
        assertTrue(allowed(u, "get", "k1"));
        assertFalse(allowed(u, "get", "k2"));
        assertTrue(allowed(u, "set", "k2", "v"));
        u.apply("clearselectors");
        assertFalse(allowed(u, "get", "k1"));
    }

    @Test
    void oneKeyPatternMustGrantAllTheAccessAKeyNeeds() throws AclRuleException {
        AclSelector split = user("%R~k*", "%W~k?").root();
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        assertTrue(split.mayAccessKey(key, AclSelector.READ));
        assertTrue(split.mayAccessKey(key, AclSelector.WRITE));
        assertFalse(split.mayAccessKey(key, AclSelector.READ | AclSelector.WRITE));
        AclUser joined = user("%R~k*", "%W~k*");
        assertEquals("~k*", joined.describeKeys());
        assertTrue(joined.root().mayAccessKey(key, AclSelector.READ | AclSelector.WRITE));
    }

    @Test
    void channelPermissionsShrinkOnlyWhenAPatternIsDropped() throws AclRuleException {
        AclUser before = user("resetchannels", "&a", "&b*");
        assertTrue(user("resetchannels", "&b*", "&a", "&c").keepsChannelsOf(before));
        assertTrue(user("allchannels").keepsChannelsOf(before));
        assertFalse(user("resetchannels", "&a").keepsChannelsOf(before));
        assertFalse(user("resetchannels", "&a", "&b*").keepsChannelsOf(user("allchannels")));
        assertTrue(user("resetchannels", "&b*").mayKeepSubscription("bx".getBytes(StandardCharsets.UTF_8), false));
        assertFalse(user("resetchannels", "&b*").mayKeepSubscription("b?".getBytes(StandardCharsets.UTF_8), true));
    }
}
