package dev.respite.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis's tls-ciphers strings, as OpenSSL reads them, turned into the JDK's suites. */
class OpenSslCipherListTest {
    private static final String AES128 = "TLS_RSA_WITH_AES_128_CBC_SHA256";
    private static final String AES256 = "TLS_RSA_WITH_AES_256_CBC_SHA256";
    private static final String TLS13 = "TLS_AES_128_GCM_SHA256";

    @Test
    void emptyListsKeepTheDefaults() {
        assertEquals(List.of(), OpenSslCipherList.of("", ""));
    }

    @Test
    void defaultLessOneSuite() {
        List<String> suites = OpenSslCipherList.of("DEFAULT:-AES128-SHA256", "");
        assertFalse(suites.contains(AES128), suites.toString());
        assertTrue(suites.contains(AES256), suites.toString());
        assertTrue(suites.contains(TLS13), "TLSv1.3 suites stay while tls-ciphersuites is empty: " + suites);
    }

    @Test
    void allRemovedThenOneAdded() {
        List<String> suites = OpenSslCipherList.of("-ALL:AES256-SHA256", "");
        assertEquals(
                List.of(AES256),
                suites.stream()
                        .filter(s -> !s.startsWith("TLS_AES_") && !s.startsWith("TLS_CHACHA20_"))
                        .toList());
    }

    @Test
    void orderIsKeptAndPlusMovesToTheEnd() {
        assertEquals(
                List.of(AES128, AES256),
                OpenSslCipherList.of("AES128-SHA256:AES256-SHA256", TLS13).subList(1, 3));
        assertEquals(
                List.of(TLS13, AES256, AES128),
                OpenSslCipherList.of("AES128-SHA256,AES256-SHA256 +AES128-SHA256", TLS13));
    }

    @Test
    void bangRemovesForGoodAndUnknownNamesAreLeftOut() {
        assertEquals(
                List.of(TLS13, AES256),
                OpenSslCipherList.of("!AES128-SHA256:AES128-SHA256:NO-SUCH-CIPHER:AES256-SHA256", TLS13));
    }
}
