package dev.respite.server;

/** The versions the server reports: the Redis version clients gate features on, and Respite's own. */
public final class ServerVersion {
    public static final String REDIS_VERSION = "7.2.5";
    public static final String VERSION = versionOfJar();

    private ServerVersion() {}

    private static String versionOfJar() {
        String v = ServerVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
