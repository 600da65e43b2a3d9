package io.llmanalytics.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;

/** Uploading tables over HTTP in tests. */
public final class Uploads {

    private Uploads() {}

    public static Response upload(String fileName, byte[] content) {
        return given().multiPart("file", fileName, content).when().post("/api/session/create");
    }

    public static String sessionOf(String fileName, String csv) {
        Response r = upload(fileName, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (r.statusCode() != 201) {
            throw new AssertionError("upload failed: " + r.asString());
        }
        return r.jsonPath().getString("session_id");
    }
}
