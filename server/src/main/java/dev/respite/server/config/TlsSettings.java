package dev.respite.server.config;

import java.util.List;

/**
 * TLS directives with Redis's names and defaults; a tls-port of 0 means no TLS listener. The port, certificate,
 * key, CA and protocol settings can change at run time (certificates are rotated that way): CONFIG SET
 * rebuilds the context for new connections.
 */
public final class TlsSettings {
    public int port;
    public String certFile = "";
    public String keyFile = "";
    public String keyFilePass = "";
    public String caCertFile = "";
    /** The certificate and key this server shows when it connects out (bus links, replication); "": the server's. */
    public String clientCertFile = "";

    public String clientKeyFile = "";
    public String clientKeyFilePass = "";
    /** The cluster bus over TLS; the TLS port is the one nodes announce first. */
    public boolean cluster;
    /** A replica connects to its master's TLS port. */
    public boolean replication;
    /** yes, no or optional: whether clients must present a certificate signed by the CA. */
    public String authClients = "yes";

    public String protocols = "";
    public String ciphers = "";
    public String ciphersuites = "";
    /** Whether the server's order of tls-ciphers decides the cipher, rather than the client's. */
    public boolean preferServerCiphers;

    TlsSettings(ServerConfig config) {
        config.intParam(
                "tls-port", true, () -> port, v -> port = v, 0, 65535, "TCP port for TLS connections (0: none).");
        config.stringParam("tls-cert-file", true, () -> certFile, v -> certFile = v, "Server certificate (PEM).");
        config.stringParam("tls-key-file", true, () -> keyFile, v -> keyFile = v, "Server private key (PEM).");
        config.stringParam(
                "tls-key-file-pass", true, () -> keyFilePass, v -> keyFilePass = v, "Passphrase of the private key.");
        config.stringParam(
                "tls-ca-cert-file",
                true,
                () -> caCertFile,
                v -> caCertFile = v,
                "CA certificates that sign client certificates (PEM).");
        config.stringParam(
                "tls-client-cert-file",
                true,
                () -> clientCertFile,
                v -> clientCertFile = v,
                "Certificate for outgoing connections (PEM); default: tls-cert-file.");
        config.stringParam(
                "tls-client-key-file",
                true,
                () -> clientKeyFile,
                v -> clientKeyFile = v,
                "Private key for outgoing connections (PEM); default: tls-key-file.");
        config.stringParam(
                "tls-client-key-file-pass",
                true,
                () -> clientKeyFilePass,
                v -> clientKeyFilePass = v,
                "Passphrase of tls-client-key-file.");
        config.boolParam(
                "tls-cluster",
                true,
                () -> cluster,
                v -> cluster = v,
                "Cluster bus over TLS (read when the bus starts).");
        config.boolParam(
                "tls-replication", true, () -> replication, v -> replication = v, "Replicas connect to the TLS port.");
        config.enumParam(
                "tls-auth-clients",
                true,
                () -> authClients,
                v -> authClients = v,
                List.of("yes", "no", "optional"),
                "Require client certificates.");
        config.stringParam(
                "tls-protocols",
                true,
                () -> protocols,
                v -> protocols = v,
                "Allowed protocols, e.g. \"TLSv1.2 TLSv1.3\".");
        config.stringParam(
                "tls-ciphers",
                true,
                () -> ciphers,
                v -> ciphers = v,
                "Allowed TLSv1.2 cipher suites (colon-separated).");
        config.stringParam(
                "tls-ciphersuites",
                true,
                () -> ciphersuites,
                v -> ciphersuites = v,
                "Allowed TLSv1.3 cipher suites (colon-separated).");
        config.boolParam(
                "tls-prefer-server-ciphers",
                true,
                () -> preferServerCiphers,
                v -> preferServerCiphers = v,
                "Choose the cipher by the server's order of tls-ciphers instead of the client's.");
    }
}
