package io.llmanalytics.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The state of one part of the service. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComponentHealth(String status, Map<String, Object> details) {

    public static final String UP = "up";
    public static final String DOWN = "down";

    public static ComponentHealth up(Map<String, Object> details) {
        return new ComponentHealth(UP, details);
    }

    public static ComponentHealth down(Map<String, Object> details) {
        return new ComponentHealth(DOWN, details);
    }

    public boolean isUp() {
        return UP.equals(status);
    }
}
