package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No false alarms on the kind of code LLMs write for analysis questions (validation/typical-code.json). */
class TypicalCodeTest {

    static Stream<Arguments> snippets() {
        List<Arguments> snippets = new ArrayList<>();
        for (JsonNode item :
                TestData.resourceJson("validation/typical-code.json").path("cases")) {
            snippets.add(
                    Arguments.of(item.path("id").asText(), item.path("code").asText()));
        }
        return snippets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void isAccepted(String id, String code) {
        assertEquals(List.of(), SharedPool.check(code).violations(), id);
    }
}
