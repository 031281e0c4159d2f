package dev.respite.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsTheValuesTheCommandDataUses() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", -4L);
        expected.put("a", List.of("x \"q\" \u00e9\n", true, false));
        expected.put("n", null);
        expected.put("e", Map.of());
        expected.put("l", List.of());
        assertEquals(
                expected,
                JsonReader.parse(" {\"b\": -4, \"a\": [\"x \\\"q\\\" \\u00e9\\n\", true, false],\n"
                        + " \"n\": null, \"e\": {}, \"l\": []} "));
        assertEquals(
                List.of("b", "a", "n", "e", "l"),
                Arrays.asList(((Map<?, ?>) JsonReader.parse("{\"b\":1,\"a\":2,\"n\":3,\"e\":4,\"l\":5}"))
                        .keySet()
                        .toArray()));
    }

    @Test
    void rejectsWhatItDoesNotRead() {
        for (String bad : List.of("{", "[1,]", "{\"a\" 1}", "1.5", "\"open", "[1] x", "-", "tru")) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
    }
}
