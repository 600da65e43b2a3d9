package io.llmanalytics.analyst.offline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan as one comment line of the generated code, {@code # offline-plan: {...}} (JSON, ASCII only), so that a
 * follow-up question and the interpretation can read back exactly what was computed, from the history alone.
 */
final class PlanComment {

    static final String PREFIX = "# offline-plan: ";
    private static final Pattern LINE = Pattern.compile("(?m)^" + Pattern.quote(PREFIX) + "(\\{.*})\\s*$");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PlanComment() {}

    static String write(Plan plan) {
        try {
            return PREFIX + JSON.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is always serialisable", e);
        }
    }

    /** The plan of code the offline analyst wrote; empty for any other code (or a damaged comment). */
    static Optional<Plan> read(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(code);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(m.group(1), Plan.class));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
