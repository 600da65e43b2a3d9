package io.llmanalytics.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Without keys (the default test profile) the service is open: it says so, and sessions have no owner. */
@QuarkusTest
class OpenModeTest {

    @Inject
    Access access;

    @Inject
    SessionRepository repository;

    @Test
    void openModeIsAWarningAtStartUpAndShowsInHealth() {
        assertTrue(access.isOpen());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(Access.class.getName());
        logger.addHandler(capture);
        try {
            access.announce();
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, records.size(), "one line");
        assertEquals(Level.WARNING.intValue(), records.get(0).getLevel().intValue());
        assertTrue(
                records.get(0).getMessage().contains("open mode"),
                records.get(0).getMessage());
        assertTrue(
                records.get(0).getMessage().contains("API_KEYS"), records.get(0).getMessage());

        given().get("/api/health")
                .then()
                .body("components.access.status", equalTo("up"))
                .body("components.access.details.mode", equalTo("open"))
                .body("components.access.details.keys", nullValue())
                .body("components.access.details.limits_per", equalTo("client address"));
    }

    @Test
    void sessionsOfOpenModeHaveNoOwnerAndAreListed() {
        String id = Uploads.sessionOf("open.csv", "a,b\n1,2\n");
        assertNull(repository.findById(id).await().indefinitely().owner);
        given().get("/api/sessions?limit=100").then().statusCode(200).body("sessions.session_id", hasItem(id));
        given().header("Authorization", "Bearer anything")
                .get("/api/session/" + id)
                .then()
                .statusCode(200);
    }
}
