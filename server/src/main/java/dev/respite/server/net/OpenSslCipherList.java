package dev.respite.server.net;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * tls-ciphers and tls-ciphersuites as the JDK's cipher suites. Redis hands tls-ciphers to OpenSSL as a cipher list
 * ({@code DEFAULT:-AES128-SHA256}, {@code -ALL:AES256-SHA256}): entries separated by colons, commas or spaces, each
 * a suite's OpenSSL name or {@code DEFAULT} or {@code ALL}, added in order, or removed with a leading {@code -} or
 * {@code !}, or moved to the end with {@code +}. Names the JDK does not have are left out, as OpenSSL leaves them
 * out. TLSv1.3 suites come from tls-ciphersuites (IANA names, as OpenSSL's), the JDK's default ones when it is empty.
 */
final class OpenSslCipherList {
    private OpenSslCipherList() {}

    /** The enabled suites in order of preference; empty lists mean the JDK's defaults. */
    static List<String> of(String ciphers, String ciphersuites) {
        if (ciphers.isBlank() && ciphersuites.isBlank()) {
            return List.of();
        }
        SSLParameters defaults;
        SSLParameters supported;
        try {
            SSLContext jdk = SSLContext.getDefault();
            defaults = jdk.getDefaultSSLParameters();
            supported = jdk.getSupportedSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        List<String> result = new ArrayList<>();
        result.addAll(ciphersuites.isBlank() ? tls13(defaults.getCipherSuites()) : tls13(names(ciphersuites)));
        result.addAll(
                ciphers.isBlank() ? tls12(defaults.getCipherSuites()) : tls12(parse(ciphers, defaults, supported)));
        return result;
    }

    private static List<String> parse(String list, SSLParameters defaults, SSLParameters supported) {
        Set<String> known = new LinkedHashSet<>(Arrays.asList(supported.getCipherSuites()));
        Set<String> chosen = new LinkedHashSet<>();
        Set<String> banned = new LinkedHashSet<>();
        for (String entry : list.split("[:, ]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            char op = entry.charAt(0);
            boolean prefixed = op == '-' || op == '!' || op == '+';
            List<String> named = suites(prefixed ? entry.substring(1) : entry, defaults, known);
            if (op == '-' || op == '!') {
                named.forEach(chosen::remove);
                if (op == '!') {
                    banned.addAll(named);
                }
            } else if (op == '+') {
                for (String s : named) {
                    if (chosen.remove(s)) {
                        chosen.add(s);
                    }
                }
            } else {
                for (String s : named) {
                    if (!banned.contains(s)) {
                        chosen.add(s);
                    }
                }
            }
        }
        return new ArrayList<>(chosen);
    }

    /** The JDK suites one entry of the list names. */
    private static List<String> suites(String name, SSLParameters defaults, Set<String> known) {
        switch (name) {
            case "DEFAULT":
                return Arrays.asList(defaults.getCipherSuites());
            case "ALL":
                return new ArrayList<>(known);
            default:
                String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
                return java != null && known.contains(java) ? List.of(java) : List.of();
        }
    }

    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split("[:, ]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<String> tls13(List<String> suites) {
        return suites.stream().filter(OpenSslCipherList::isTls13).toList();
    }

    private static List<String> tls13(String[] suites) {
        return tls13(Arrays.asList(suites));
    }

    private static List<String> tls12(List<String> suites) {
        return suites.stream().filter(s -> !isTls13(s)).toList();
    }

    private static List<String> tls12(String[] suites) {
        return tls12(Arrays.asList(suites));
    }

    /** TLSv1.3's suites name no key exchange: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256... */
    private static boolean isTls13(String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }
}
