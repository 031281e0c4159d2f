package dev.respite.server.scripting;

/** How Redis shapes error texts for scripts. */
final class ScriptErrors {
    private ScriptErrors() {}

    /**
     * The text of an {err=...} table: "-CODE message" keeps its code (a lone "-word" becomes "ERR word"),
     * anything else is prefixed with ERR; line breaks at either end are trimmed.
     */
    static String normalize(String text) {
        String code = "ERR";
        String msg = text;
        if (text.startsWith("-")) {
            int sp = text.indexOf(' ');
            if (sp < 0) {
                msg = text.substring(1);
            } else {
                code = text.substring(1, sp);
                msg = text.substring(sp + 1);
            }
        }
        return code + " " + trim(msg);
    }

    private static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '\r' || s.charAt(from) == '\n')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '\r' || s.charAt(to - 1) == '\n')) {
            to--;
        }
        return s.substring(from, to);
    }
}
