package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upload and worker agree on every number: what an upload accepts is loaded by the worker exactly as pandas reads the
 * file (checked against pandas itself, run on the uploaded file), and a number that is not a finite 64-bit float, or
 * one too long to read, is refused with a 400 naming where it is. Every accepted session answers a question on the
 * column: none ends up unloadable.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class NumberUploadTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    // ---- refused: not finite, or too long ----

    @Test
    void jsonNumbersOutsideTheFloatRangeAreRefusedByName() {
        for (String value : new String[] {"1e999999", "-1e999999", "1.7976931348623159e308", "-2E+400"}) {
            String json =
                    "[{\"item\": \"a\", \"price\": 1.5},\n{\"item\": \"b\", \"price\": 2},\n{\"item\": \"c\", \"price\": "
                            + value + "}]";
            refused(
                    "data.json",
                    json,
                    "record 3 (line 3), field 'price': " + value + " is outside the range of a 64-bit float");
        }
    }

    @Test
    void jsonNanAndInfinityTokensAreRefusedByName() {
        refused("data.json", "[{\"x\": 1}, {\"x\": NaN}]", "record 2 (line 1), field 'x': NaN is not a number");
        refused("data.json", "[{\"x\": Infinity}]", "record 1 (line 1), field 'x': Infinity is outside the range");
        refused(
                "data.json",
                "[{\"x\": 1}, {\"y\": 2, \"x\": -Infinity}]",
                "record 2 (line 1), field 'x': -Infinity is outside the range");
    }

    @Test
    void jsonLinesNumbersThatAreNotFiniteAreRefusedByName() {
        // the same rule for every reader: JSON Lines uploads name the line and the value too
        for (String value : new String[] {"1e999999", "-1e999999", "NaN", "Infinity", "-Infinity"}) {
            String jsonl = "{\"item\": \"a\", \"price\": 1.5}\n{\"item\": \"b\", \"price\": 2}\n"
                    + "{\"item\": \"c\", \"price\": " + value + "}\n";
            Response r = Uploads.upload("data.jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), value + ": " + r.asString());
            String detail = r.jsonPath().getString("detail");
            assertTrue(
                    detail.contains(value)
                            && detail.toLowerCase(java.util.Locale.ROOT).contains("line 3"),
                    value + ": " + detail);
        }
        String digits = "7".repeat(100_000);
        Response r = Uploads.upload(
                "data.jsonl", ("{\"a\": 1}\n{\"a\": " + digits + "}\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(
                400,
                r.statusCode(),
                r.asString().substring(0, Math.min(500, r.asString().length())));
        assertTrue(
                r.jsonPath().getString("detail").contains("100000 characters"),
                r.jsonPath().getString("detail"));
    }

    @Test
    void hugeNumbersAreRefusedForTheirSize() {
        String digits = "7".repeat(100_000);
        Response r =
                Uploads.upload("data.json", ("[{\"a\": 1}, {\"a\": " + digits + "}]").getBytes(StandardCharsets.UTF_8));
        problem(
                r,
                "record 2 (line 1), field 'a': a number of 100000 characters (777777777777...) is longer than the"
                        + " 1000 characters a number may have");
        r = Uploads.upload("data.json", ("[{\"a\": 0." + digits + "}]").getBytes(StandardCharsets.UTF_8));
        problem(r, "record 1 (line 1), field 'a': a number of 100002 characters");
        r = Uploads.upload("data.json", ("[{\"a\": -" + digits + "e5}]").getBytes(StandardCharsets.UTF_8));
        problem(r, "a number of 100003 characters");
        // not mistaken for nesting any more; and nesting still says so
        String nested = "[{\"a\": " + "[".repeat(100) + "]".repeat(100) + "}]";
        problem(
                Uploads.upload("data.json", nested.getBytes(StandardCharsets.UTF_8)),
                "nested more than 64 levels",
                "unreadable-file");
    }

    @Test
    void csvNumbersThatAreNotFiniteInANumericColumnAreRefused() {
        for (String value : new String[] {
            "1e999999", "-1e999999", "inf", "-inf", "Infinity", "-Infinity", "+inf", "1" + "0".repeat(400) + ".5"
        }) {
            refused(
                    "data.csv",
                    "item,price\na,1.5\nb," + value + "\nc,3\n",
                    "Row 2 after the header, column 'price': "
                            + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
                            + " is outside the range of a 64-bit float");
        }
        refused("data.tsv", "item\tprice\na\t1.5\nb\t2\nc\t1e400\n", "Row 3 after the header, column 'price': 1e400");
    }

    // ---- accepted: the worker loads what pandas reads ----

    @Test
    void jsonUnderflowIsZeroAndBigIntegersAreTextAsTheWorkerLoadsThem() throws Exception {
        String json = "[{\"item\": \"a\", \"price\": 1e-999999, \"big\": 123456789012345678901234567890, \"n\": 1},\n"
                + " {\"item\": \"b\", \"price\": 2.5, \"big\": -98765432109876543210, \"n\": 9223372036854775807},\n"
                + " {\"item\": \"c\", \"price\": null, \"big\": 7, \"n\": -9223372036854775808}]";
        JsonNode created = accepted("data.json", json);
        JsonNode types = created.get("data_info").get("data_types");
        assertEquals("float64", types.get("price").asText());
        assertEquals(
                "object", types.get("big").asText(), "beyond int64: text, as pandas reads it from the canonical CSV");
        assertEquals("int64", types.get("n").asText());
        assertEquals(
                0.0, created.get("data_info").get("sample").get(0).get("price").asDouble());
        String session = created.get("session_id").asText();

        JsonNode answer = analyze(
                session,
                "result = {'sum': float(df['price'].sum()), 'zero': bool(df['price'].iloc[0] == 0.0),"
                        + " 'missing': int(df['price'].isna().sum()), 'big': df['big'].tolist(), 'dtype': str(df['big'].dtype),"
                        + " 'n': [str(v) for v in df['n']]}");
        JsonNode result = answer.get("raw_result");
        JsonNode pandas = pandas(
                "json",
                json,
                "frame = pd.DataFrame(json.loads(text))\n"
                        + "out = {'sum': float(frame['price'].sum()), 'zero': bool(frame['price'].iloc[0] == 0.0),"
                        + " 'missing': int(frame['price'].isna().sum()), 'n': [str(v) for v in frame['n']]}");
        assertEquals(pandas.get("sum").asDouble(), result.get("sum").asDouble(), 0.0);
        assertEquals(pandas.get("zero"), result.get("zero"));
        assertEquals(pandas.get("missing"), result.get("missing"));
        assertEquals(pandas.get("n"), result.get("n"));
        assertEquals("object", result.get("dtype").asText());
        assertEquals(
                JSON.readTree("[\"123456789012345678901234567890\", \"-98765432109876543210\", \"7\"]"),
                result.get("big"),
                "the worker holds the digits the sample shows: "
                        + created.get("data_info").get("sample"));
        assertEquals(
                "123456789012345678901234567890",
                created.get("data_info").get("sample").get(0).get("big").asText());
    }

    @Test
    void csvLoadsInTheWorkerAsPandasReadsIt() throws Exception {
        String csv = """
                item,price,word,code,big
                a,1e-999999,inf,1e999999,1000000000000000000000000000000000000000000000000000000000000000000000
                b,2.5,abc,x,-98765432109876543210
                c,NaN,Infinity,1.5,7
                d,,-inf,y,18446744073709551616
                """;
        JsonNode created = accepted("data.csv", csv);
        JsonNode info = created.get("data_info");
        assertEquals("float64", info.get("data_types").get("price").asText());
        assertEquals("object", info.get("data_types").get("word").asText(), "inf next to text is text");
        assertEquals("object", info.get("data_types").get("code").asText(), "1e999999 next to text is text");
        assertEquals("object", info.get("data_types").get("big").asText());
        assertEquals(2, info.get("null_counts").get("price").asInt(), "NaN and the empty cell are missing");
        String session = created.get("session_id").asText();
        String probe = "{'sum': float(frame['price'].sum()), 'missing': int(frame['price'].isna().sum()),"
                + " 'first': float(frame['price'].iloc[0]), 'word': [str(v) for v in frame['word']],"
                + " 'code': [str(v) for v in frame['code']], 'big': [str(v) for v in frame['big']],"
                + " 'dtypes': [str(t) for t in frame.dtypes]}";
        JsonNode result = analyze(session, "frame = df\nresult = " + probe).get("raw_result");
        JsonNode pandas = pandas("csv", csv, "frame = pd.read_csv(io.StringIO(text))\nout = " + probe);
        assertEquals(pandas.get("sum"), result.get("sum"));
        assertEquals(pandas.get("missing"), result.get("missing"));
        assertEquals(pandas.get("first"), result.get("first"));
        assertEquals(pandas.get("word"), result.get("word"));
        assertEquals(pandas.get("code"), result.get("code"));
        // pandas' own read_csv makes a column of one unsigned 64-bit value and larger ones 'object' too: same text
        assertEquals(pandas.get("big"), result.get("big"));
        assertEquals(pandas.get("dtypes"), result.get("dtypes"));
    }

    @Test
    void aOneColumnTableKeepsTheRowsWhoseOnlyCellIsMissing() throws Exception {
        // JSON Lines and JSON records are read into a canonical copy the service writes (a CSV is its own copy): a row
        // of one missing cell written as a blank line was no row to pandas, so the worker had fewer rows than the
        // profile;
        // an empty text is missing to both (the copy cannot hold it apart from a missing value)
        String[][] uploads = {
            {"one.jsonl", "{\"a\": 1}\n{\"a\": null}\n{\"a\": 3}\n{}\n{\"a\": 5}\n", "2"},
            {"one.json", "[{\"a\": \"x\"}, {\"a\": null}, {\"a\": \"z\"}, {}, {\"a\": \"\"}]", "3"}
        };
        for (String[] upload : uploads) {
            JsonNode created = accepted(upload[0], upload[1]);
            JsonNode info = created.get("data_info");
            int missing = Integer.parseInt(upload[2]);
            assertEquals(5, info.get("rows").asInt(), upload[0] + ": " + info);
            assertEquals(missing, info.get("null_counts").get("a").asInt(), upload[0] + ": " + info);
            JsonNode result = analyze(
                            created.get("session_id").asText(),
                            "result = {'rows': len(df), 'missing': int(df['a'].isna().sum())}")
                    .get("raw_result");
            assertEquals(5, result.get("rows").asInt(), upload[0] + ": the worker has every row: " + result);
            assertEquals(missing, result.get("missing").asInt(), upload[0] + ": and the profile's missing cells");
        }
    }

    // ---- helpers ----

    private static void refused(String name, String content, String detail) {
        problem(Uploads.upload(name, content.getBytes(StandardCharsets.UTF_8)), detail);
    }

    private static void problem(Response r, String detail) {
        problem(r, detail, "number-out-of-range");
    }

    private static void problem(Response r, String detail, String type) {
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType().replaceAll(";.*", ""));
        assertTrue(
                r.jsonPath().getString("detail").contains(detail), r.jsonPath().getString("detail"));
        assertTrue(r.jsonPath().getString("type").endsWith(type), r.asString());
        assertTrue(
                r.asString().length() < 2000,
                "the message is short: " + r.asString().length());
    }

    private static JsonNode accepted(String name, String content) throws Exception {
        Response r = Uploads.upload(name, content.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.asString());
        return JSON.readTree(r.asString());
    }

    private JsonNode analyze(String session, String code) {
        stub.respond(r -> r.streaming() ? StubResponse.content("Here it is.") : StubResponse.code(code));
        JsonNode done = SseEvents.parse(given().contentType("application/json")
                        .accept("text/event-stream")
                        .body(Map.of("question", "What are the values?"))
                        .post("/api/session/" + session + "/analyze")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .done();
        assertTrue(done != null && done.get("error").isNull(), "the session loads and answers: " + done);
        return done;
    }

    /** {@code out} computed by pandas itself from the uploaded text. */
    private static JsonNode pandas(String suffix, String text, String code) throws Exception {
        Path file = Files.createTempFile("upload-", "." + suffix);
        Files.writeString(file, text);
        String program =
                "import io, json, sys\nimport pandas as pd\ntext = open(sys.argv[1], encoding='utf-8').read()\n" + code
                        + "\nprint(json.dumps(out))\n";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", program, file.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        Files.deleteIfExists(file);
        return JSON.readTree(out);
    }
}
