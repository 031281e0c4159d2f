package dev.respite.server.config;

/**
 * A configuration that cannot be loaded. The message has Redis's layout, so operators see what they know:
 * <pre>
 * *** FATAL CONFIG FILE ERROR (Respite 0.1.0) ***
 * Reading the configuration file /etc/respite.conf, at line 3
 * &gt;&gt;&gt; 'port "abc'
 * Unbalanced quotes in configuration line
 * </pre>
 * The middle two lines are left out when the error is not about a line (a configuration file that cannot be
 * opened).
 */
public final class ConfigFileException extends Exception {
    private final String source;
    private final int line;
    private final String reason;

    /** An error at {@code line} (1-based) of {@code source}, whose text is {@code text}. */
    public ConfigFileException(String source, int line, String text, String reason) {
        super(header() + "\nReading the configuration file " + source + ", at line " + line + "\n>>> '" + text + "'\n"
                + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** An error about {@code source} as a whole. */
    public ConfigFileException(String source, String reason) {
        super(header() + "\n" + reason);
        this.source = source;
        this.line = 0;
        this.reason = reason;
    }

    private static String header() {
        String version = ConfigFileException.class.getPackage().getImplementationVersion();
        return "*** FATAL CONFIG FILE ERROR (Respite" + (version == null ? "" : " " + version) + ") ***";
    }

    /** The file path, {@code (stdin)} or {@code (command line)}. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 if the error is not about a line. */
    public int line() {
        return line;
    }

    /** The reason alone, without the layout around it. */
    public String reason() {
        return reason;
    }
}
