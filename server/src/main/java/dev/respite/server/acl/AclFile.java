package dev.respite.server.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The aclfile: one ACL LIST line per user. Read whole and checked before anything changes. */
public final class AclFile {
    private static final String NO_CHANGE =
            ". WARNING: ACL errors detected, no change to the previously active ACL rules was performed";

    private AclFile() {}

    /** Rules per user name, in file order; throws with Redis's ACL LOAD error text. */
    public static Map<String, List<String>> read(Path file, AclUsers validator) throws AclRuleException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AclRuleException("Error loading ACLs, opening file '" + file + "': " + describe(e));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = List.of(line.split("\\s+"));
            if (words.size() < 2 || !words.get(0).equals("user")) {
                throw new AclRuleException(
                        file + ":" + (i + 1) + " should start with user keyword followed by the username" + NO_CHANGE);
            }
            String name = words.get(1);
            if (out.containsKey(name)) {
                throw new AclRuleException(
                        "WARNING: Duplicate user '" + name + "' found on line " + (i + 1) + NO_CHANGE);
            }
            List<String> rules = new ArrayList<>(words.subList(2, words.size()));
            try {
                validator.validate(name, rules);
            } catch (AclRuleException e) {
                throw new AclRuleException(file + ":" + (i + 1) + ": " + e.getMessage() + NO_CHANGE);
            }
            out.put(name, rules);
        }
        return out;
    }

    /** Writes every user, replacing the file only once the new content is complete. */
    public static void write(Path file, AclUsers users) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (AclUser u : users.all()) {
            sb.append(u.describe()).append('\n');
        }
        Path tmp = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException
                ? "No such file or directory"
                : String.valueOf(e.getMessage());
    }
}
