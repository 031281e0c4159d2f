package dev.respite.conformance.fuzz;

import dev.respite.conformance.support.RespReader.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A command's arguments as the reference server's COMMAND DOCS describes them: name, type (key, string,
 * integer, double, pattern, unix-time, pure-token, oneof, block), the token written before the value,
 * and whether the argument is optional or may repeat.
 */
record Grammar(String command, String group, List<Arg> args) {

    record Arg(
            String name,
            String type,
            String token,
            boolean optional,
            boolean multiple,
            boolean tokenRepeats,
            List<Arg> children) {}

    /** Reads a COMMAND DOCS reply (RESP2: a flat list of name, doc pairs) into one grammar per command. */
    static Map<String, Grammar> fromDocs(Value docs) {
        Map<String, Grammar> out = new HashMap<>();
        List<Value> e = docs.elements();
        for (int i = 0; i + 1 < e.size(); i += 2) {
            String name = e.get(i).text().toLowerCase(Locale.ROOT);
            Map<String, Value> doc = fields(e.get(i + 1));
            String group = doc.containsKey("group") ? doc.get("group").text() : "";
            out.put(name, new Grammar(name, group, args(doc.get("arguments"))));
        }
        return out;
    }

    private static List<Arg> args(Value list) {
        List<Arg> out = new ArrayList<>();
        if (list == null || list.elements() == null) {
            return out;
        }
        for (Value v : list.elements()) {
            Map<String, Value> f = fields(v);
            boolean optional = false;
            boolean multiple = false;
            boolean tokenRepeats = false;
            if (f.containsKey("flags")) {
                for (Value flag : f.get("flags").elements()) {
                    optional |= flag.text().equals("optional");
                    multiple |= flag.text().equals("multiple");
                    tokenRepeats |= flag.text().equals("multiple_token");
                }
            }
            out.add(new Arg(
                    f.get("name").text(),
                    f.get("type").text(),
                    f.containsKey("token") ? f.get("token").text() : null,
                    optional,
                    multiple,
                    tokenRepeats,
                    args(f.get("arguments"))));
        }
        return out;
    }

    private static Map<String, Value> fields(Value v) {
        Map<String, Value> out = new HashMap<>();
        List<Value> e = v.elements();
        for (int i = 0; i + 1 < e.size(); i += 2) {
            out.put(e.get(i).text(), e.get(i + 1));
        }
        return out;
    }
}
