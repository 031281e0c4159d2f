package dev.respite.server.config;

import java.util.List;

/** TLS directives with Redis's names and defaults; a tls-port of 0 means no TLS listener. */
public final class TlsSettings {
    public int port;
    public String certFile = "";
    public String keyFile = "";
    public String keyFilePass = "";
    public String caCertFile = "";
    /** yes, no or optional: whether clients must present a certificate signed by the CA. */
    public String authClients = "yes";

    public String protocols = "";
    public String ciphers = "";
    public String ciphersuites = "";

    TlsSettings(ServerConfig config) {
        config.intParam(
                "tls-port", false, () -> port, v -> port = v, 0, 65535, "TCP port for TLS connections (0: none).");
        config.stringParam("tls-cert-file", false, () -> certFile, v -> certFile = v, "Server certificate (PEM).");
        config.stringParam("tls-key-file", false, () -> keyFile, v -> keyFile = v, "Server private key (PEM).");
        config.stringParam(
                "tls-key-file-pass", false, () -> keyFilePass, v -> keyFilePass = v, "Passphrase of the private key.");
        config.stringParam(
                "tls-ca-cert-file",
                false,
                () -> caCertFile,
                v -> caCertFile = v,
                "CA certificates that sign client certificates (PEM).");
        config.enumParam(
                "tls-auth-clients",
                false,
                () -> authClients,
                v -> authClients = v,
                List.of("yes", "no", "optional"),
                "Require client certificates.");
        config.stringParam(
                "tls-protocols",
                false,
                () -> protocols,
                v -> protocols = v,
                "Allowed protocols, e.g. \"TLSv1.2 TLSv1.3\".");
        config.stringParam(
                "tls-ciphers",
                false,
                () -> ciphers,
                v -> ciphers = v,
                "Allowed TLSv1.2 cipher suites (colon-separated).");
        config.stringParam(
                "tls-ciphersuites",
                false,
                () -> ciphersuites,
                v -> ciphersuites = v,
                "Allowed TLSv1.3 cipher suites (colon-separated).");
    }
}
