package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which refusal a command queued inside MULTI gets when several apply, compared with Redis 7.2.5. */
class TransactionRefusalDifferentialTest extends DifferentialSuite {
    /**
     * A no-multi command is refused as such before the ACL check, as Redis's processCommand orders them: a user
     * denied WATCH still hears it is not allowed in MULTI.
     */
    @Test
    void aNoMultiCommandDeniedByAclIsRefusedAsNotAllowedInATransaction() throws IOException {
        d.check("ACL", "SETUSER", "limited", "on", "nopass", "+@all", "-watch", "-save");
        try {
            d.check("AUTH", "limited", "x");
            d.check("MULTI");
            d.check("WATCH", "k");
            d.check("SAVE");
            d.check("EXEC");
        } finally {
            d.check("AUTH", "default", "");
            d.check("ACL", "DELUSER", "limited");
        }
    }
}
