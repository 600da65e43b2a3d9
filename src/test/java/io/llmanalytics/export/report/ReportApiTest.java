package io.llmanalytics.export.report;

import static io.llmanalytics.share.ShareProfile.ALICE;
import static io.llmanalytics.share.ShareProfile.BOB;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.session.ChartStore;
import io.llmanalytics.session.SessionStore;
import io.llmanalytics.session.StoredInteraction;
import io.llmanalytics.share.ShareProfile;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.ScriptedAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports of a session: the HTML report (self-contained, every question and number, hostile text as text, plotly.js
 * inlined once and only when a chart has a spec), the PDF report (its text, read back with poppler's pdftotext, holds
 * every question and number; Greek and Cyrillic survive), a session of 100 answers within the time limit, and the
 * reports through share links (valid, revoked, unknown token) and for another key.
 */
@QuarkusTest
@TestProfile(ShareProfile.class)
class ReportApiTest {

    static final String CSV = "category,amount\nA,1\nB,2\nA,3\n";
    static final String CHART_CODE = """
            s = df.groupby('category')['amount'].sum()
            s.plot(kind='bar', title='Amount by category')
            result = s""";
    static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    static final String GREEK = "Πόσα έσοδα ανά κατηγορία;";
    static final String CYRILLIC = "Сколько выручки по категориям?";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    SessionStore store;

    @Inject
    ChartStore charts;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String upload(String key) {
        return as(key).multiPart("file", "sales data.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    void ask(String session, String question, String code, String answer) {
        ScriptedAnswers.ask(stub, as(ALICE), session, question, code, answer);
    }

    @Test
    void theHtmlReportHoldsEveryQuestionInOneFileThatNamesNoAddress() {
        String session = upload(ALICE);
        ask(session, "Amount by category as a chart?", CHART_CODE, "A has 4 and B has 2.");
        ask(session, "How many rows?", "result = len(df)", "There are 3 rows.");
        stored(session, HOSTILE, "A chart labelled " + HOSTILE, spec(HOSTILE), 7.25);

        Response response = as(ALICE).get("/api/session/" + session + "/report.html");
        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("text/html"), response.contentType());
        assertEquals("attachment; filename=\"sales_data-report.html\"", response.header("Content-Disposition"));
        String html = response.asString();
        sample("report-hostile.html", response.asByteArray());

        // structure: title, datasets with their profile, every question in order with its answer, table and code
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("<h1>sales data.csv</h1>"), "the title");
        assertTrue(html.contains("Session created "), "the creation date");
        assertTrue(html.contains(" <span class=\"note\">(df)</span></h3>"), "the dataset");
        assertTrue(html.contains("3 rows · 2 columns"), "the dataset's size");
        assertTrue(html.contains("<td>amount</td><td>int64</td><td class=\"num\">0</td>"), "the column profile");
        int first = html.indexOf("<h2>1. Amount by category as a chart?</h2>");
        int second = html.indexOf("<h2>2. How many rows?</h2>");
        int third = html.indexOf("<h2>3. " + HtmlReport.esc(HOSTILE) + "</h2>");
        assertTrue(first > 0 && second > first && third > second, "questions in order: " + first + " " + second);
        for (String text : List.of("A has 4 and B has 2.", "There are 3 rows.", "7.25")) {
            assertTrue(html.contains(text), text);
        }
        assertTrue(html.contains("<td>A</td><td class=\"num\">4</td>"), "the result table");
        assertTrue(html.contains("<details class=\"code\"><summary>Code</summary>"), "the folded code");
        assertTrue(html.contains("s.plot(kind=&#39;bar&#39;"), "the code, escaped");
        assertTrue(html.contains("@media print"), "a print stylesheet");

        // hostile text is text: not one tag of it survives anywhere, in the page or in the chart's data
        assertFalse(html.contains("<script>alert"), "a script tag from a question");
        assertFalse(html.contains("<img src=x"), "an image tag from a question");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "escaped question");
        List<String> embedded = specs(html);
        assertEquals(2, embedded.size(), "the pipeline's chart and the stored one are interactive");
        for (String spec : embedded) {
            assertFalse(spec.contains("<") || spec.contains(">") || spec.contains("&"), spec);
            assertFalse(spec.contains("images"), "layout images (fetched by address) are dropped: " + spec);
        }
        assertTrue(
                embedded.stream().anyMatch(spec -> spec.contains("\\u0026lt;script\\u0026gt;")),
                "a chart label as Plotly text: " + embedded);

        // charts: each interactive from its spec, with its PNG beside it
        assertEquals(2, count(html, "<img class=\"chart-png\""), "every chart's PNG");
        assertEquals(1, count(html, plotlyMarker()), "plotly.js inlined once");

        assertNoExternalAddress(html);
    }

    @Test
    void bothReportsSayWhatTheColumnsMeanFromTheDataDictionary() throws Exception {
        String session = upload(ALICE);
        String dataset = as(ALICE).get("/api/session/" + session).jsonPath().getString("datasets[0].name");
        as(ALICE)
                .contentType("application/json")
                .body("{\"description\": \"Sales of the shop in 2024\", \"columns\": {\"amount\":"
                        + " {\"description\": \"Units sold\", \"unit\": \"pcs\"}}}")
                .put("/api/session/" + session + "/datasets/" + dataset + "/dictionary")
                .then()
                .statusCode(200);

        String html = as(ALICE).get("/api/session/" + session + "/report.html").asString();
        assertTrue(html.contains("<th>Meaning</th>"), "the profile table has the meaning column");
        assertTrue(html.contains("<td>Units sold (pcs)</td>"), "the column's description and unit");
        assertTrue(html.contains("<p class=\"description\">Sales of the shop in 2024</p>"), "the dataset's");
        Response pdf = as(ALICE).get("/api/session/" + session + "/report.pdf");
        assertEquals(200, pdf.statusCode());
        String text = pdfText(pdf.asByteArray()).replaceAll("\\s+", " ");
        assertTrue(text.contains("Units sold (pcs)") && text.contains("Sales of the shop in 2024"), text);
    }

    @Test
    void plotlyIsInlinedOnlyWhenSomeChartHasASpec() {
        String session = upload(ALICE);
        stored(session, "Amount by category as a chart?", "A has 4 and B has 2.", null, 4);
        String html = as(ALICE).get("/api/session/" + session + "/report.html").asString();
        assertEquals(1, count(html, "<img class=\"chart-png\""), html.length() + " characters");
        assertEquals(0, count(html, plotlyMarker()), "no plotly.js without a spec");
        assertFalse(html.contains("Plotly.newPlot"), "no drawing script without a spec");
        assertTrue(html.length() < 200_000, "small without plotly.js: " + html.length());
        assertNoExternalAddress(html);
    }

    @Test
    void thePdfReportHoldsEveryQuestionAndNumberInLatinGreekAndCyrillic() throws Exception {
        String session = upload(ALICE);
        ask(session, "Amount by category as a chart?", CHART_CODE, "A has 4 and B has 2.");
        ask(session, "How many rows?", "result = len(df)", "There are 3 rows.");
        stored(session, GREEK, "Η απάντηση είναι 7.25 ευρώ.", spec("Έσοδα"), 7.25);
        stored(session, CYRILLIC, "Ответ: 8.5 рублей. 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ 漢字", null, 8.5);

        Response response = as(ALICE).get("/api/session/" + session + "/report.pdf");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/pdf", response.contentType());
        assertEquals("attachment; filename=\"sales_data-report.pdf\"", response.header("Content-Disposition"));
        byte[] pdf = response.asByteArray();
        sample("report-scripts.pdf", pdf);
        assertTrue(new String(pdf, 0, 5, StandardCharsets.US_ASCII).startsWith("%PDF-"));
        String text = pdfText(pdf);
        String flat = text.replaceAll("\\s+", " ");
        for (String expected : List.of(
                "sales data.csv",
                "Contents",
                "Datasets",
                "1. Amount by category as a chart?",
                "2. How many rows?",
                "3. " + GREEK,
                "4. " + CYRILLIC,
                "A has 4 and B has 2.",
                "There are 3 rows.",
                "Η απάντηση είναι 7.25 ευρώ.",
                "Ответ: 8.5 рублей.",
                "s.plot(kind='bar', title='Amount by category')",
                "result = len(df)",
                "3 rows · 2 columns")) {
            assertTrue(flat.contains(expected), expected + " in:\n" + text);
        }
        // the result table's numbers (A 4, B 2) and the scalar results
        assertTrue(Pattern.compile("A\\s+4").matcher(text).find(), text);
        assertTrue(Pattern.compile("B\\s+2").matcher(text).find(), text);
        assertTrue(flat.contains("7.25") && flat.contains("8.5"), text);
        // characters outside the fonts became the replacement character, not an error
        assertTrue(flat.contains("\uFFFD"), "a replacement character for text the fonts lack");
        // the contents give each question's page: the page whose text starts that question
        String[] pages = text.split("\f");
        Matcher toc =
                Pattern.compile("(?m)^2\\. How many rows\\?\\s+(\\d+)\\s*$").matcher(pages[0]);
        assertTrue(toc.find(), pages[0]);
        int page = Integer.parseInt(toc.group(1));
        assertTrue(pages[page - 1].strip().startsWith("2. How many rows?"), pages[page - 1]);
    }

    @Test
    void aSessionOfAHundredAnswersGivesBothReportsWithinTheLimit() throws Exception {
        String session = upload(ALICE);
        for (int i = 1; i <= 100; i++) {
            stored(
                    session,
                    "Question number " + i + "?",
                    "The answer is " + (i * 1000 + 7) + ".",
                    i % 2 == 0 ? spec("series " + i) : null,
                    i * 1000 + 7);
        }
        long started = System.nanoTime();
        Response html = as(ALICE).get("/api/session/" + session + "/report.html");
        Duration htmlTime = Duration.ofNanos(System.nanoTime() - started);
        started = System.nanoTime();
        Response pdf = as(ALICE).get("/api/session/" + session + "/report.pdf");
        Duration pdfTime = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf(
                "100-answer report: HTML %d ms (%d bytes), PDF %d ms (%d bytes)%n",
                htmlTime.toMillis(), html.asByteArray().length, pdfTime.toMillis(), pdf.asByteArray().length);
        assertEquals(200, html.statusCode());
        assertEquals(200, pdf.statusCode());
        assertTrue(htmlTime.compareTo(Duration.ofSeconds(10)) < 0, "HTML took " + htmlTime);
        assertTrue(pdfTime.compareTo(Duration.ofSeconds(10)) < 0, "PDF took " + pdfTime);
        String page = html.asString();
        String text = pdfText(pdf.asByteArray()).replaceAll("\\s+", " ");
        for (int i = 1; i <= 100; i++) {
            assertTrue(page.contains("<h2>" + i + ". Question number " + i + "?</h2>"), "question " + i);
            assertTrue(page.contains("The answer is " + (i * 1000 + 7) + "."), "answer " + i);
            assertTrue(text.contains(i + ". Question number " + i + "?"), "PDF question " + i);
            assertTrue(text.contains("The answer is " + (i * 1000 + 7) + "."), "PDF answer " + i);
        }
        assertEquals(50, count(page, "class=\"chart-spec\""));
        assertEquals(1, count(page, plotlyMarker()));
    }

    @Test
    void sharedReportsOpenWithTheTokenAndNothingElse() {
        String session = upload(ALICE);
        ask(session, "How many rows?", "result = len(df)", "There are 3 rows.");
        var link = as(ALICE)
                .contentType("application/json")
                .post("/api/session/" + session + "/shares")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String token = link.getString("token");

        Response html = given().get("/api/shared/" + token + "/report.html");
        assertEquals(200, html.statusCode(), html.asString());
        assertTrue(html.asString().contains("<h2>1. How many rows?</h2>"));
        assertEquals("attachment; filename=\"sales_data-report.html\"", html.header("Content-Disposition"));
        Response pdf = given().get("/api/shared/" + token + "/report.pdf");
        assertEquals(200, pdf.statusCode(), pdf.asString());
        assertEquals("application/pdf", pdf.contentType());

        // another key sees nothing of Alice's session, an unknown session is the usual 404
        for (String path : List.of("/report.html", "/report.pdf")) {
            Response other = as(BOB).get("/api/session/" + session + path);
            assertEquals(404, other.statusCode(), other.asString());
            assertTrue(other.contentType().startsWith("application/problem+json"), other.contentType());
            Response unknown = as(ALICE).get("/api/session/" + UUID.randomUUID() + path);
            assertEquals(404, unknown.statusCode(), unknown.asString());
            assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown.contentType());
        }

        // revoked and unknown tokens: the same 404 as the other share routes
        String unknownToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String expected = given().get("/api/shared/" + unknownToken).jsonPath().getString("detail");
        as(ALICE)
                .delete("/api/session/" + session + "/shares/" + link.getString("id"))
                .then()
                .statusCode(204);
        for (String t : List.of(token, unknownToken)) {
            for (String path : List.of("/report.html", "/report.pdf")) {
                Response gone = given().get("/api/shared/" + t + path);
                assertEquals(404, gone.statusCode(), gone.asString());
                assertTrue(gone.contentType().startsWith("application/problem+json"), gone.contentType());
                assertEquals(expected, gone.jsonPath().getString("detail"));
            }
        }
    }

    // --- helpers

    /** Stores a finished interaction with one chart (with {@code spec} when not null) as the analysis would. */
    void stored(String session, String question, String answer, String spec, double result) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        StoredInteraction interaction = new StoredInteraction(
                id,
                now,
                now,
                question,
                "result = " + result,
                List.of(),
                "The result is " + result + ".",
                "the value " + question,
                result,
                answer,
                null,
                0.01,
                List.of(new StoredInteraction.ChartRef("image/png", 64, 48, null, ChartStore.href(session, id, 0))),
                false,
                null,
                null,
                null);
        charts.save(session, id, List.of(new ChartStore.StoredChart(0, "image/png", 64, 48, png(), null, spec)))
                .chain(() -> store.appendInteraction(session, interaction))
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    /** Keeps a report in target/report-samples, to look at. */
    static void sample(String name, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "report-samples"));
            Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String spec(String label) {
        String quoted = "\"" + label.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return "{\"data\": [{\"type\": \"bar\", \"x\": [" + quoted + ", \"B\"], \"y\": [4, 2], \"name\": " + quoted
                + "}], \"layout\": {\"title\": {\"text\": " + quoted
                + "}, \"images\": [{\"source\": \"https://example.com/x.png\"}]}}";
    }

    static byte[] png() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.BLUE);
        g.fillRect(10, 10, 20, 30);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The first 80 characters of plotly.js as the report inlines it: found once per inlined copy. */
    static String plotlyMarker() {
        return plotly().substring(0, 80);
    }

    /** plotly.js as the report inlines it, from the copy the build put on the class path. */
    static String plotly() {
        try (InputStream in = ReportApiTest.class.getClassLoader().getResourceAsStream(PlotlyScript.RESOURCE)) {
            assertTrue(in != null, "the build puts plotly.js on the class path");
            return PlotlyScript.inlineSafe(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * No address outside the file: every src, href and CSS url() of the page (plotly.js' own code aside) is a fragment
     * or a data: URL, and no http(s) or protocol-relative address stands anywhere in the file, plotly.js included.
     */
    static void assertNoExternalAddress(String html) {
        String page = html.replace(plotly(), "");
        Matcher tags = Pattern.compile("<[a-zA-Z][^<>]*>").matcher(page);
        List<String> found = new ArrayList<>();
        while (tags.find()) {
            Matcher attributes = Pattern.compile(
                            "(?i)\\s(src|href|action|poster|srcset|xlink:href)\\s*=\\s*([\"']?)([^\"'\\s>]*)")
                    .matcher(tags.group());
            while (attributes.find()) {
                String value = attributes.group(3);
                if (!value.startsWith("#") && !value.startsWith("data:")) {
                    found.add(attributes.group());
                }
            }
        }
        Matcher urls = Pattern.compile("(?i)url\\(\\s*([\"']?)([^\"')]*)").matcher(page);
        while (urls.find()) {
            String value = urls.group(2);
            if (!value.startsWith("#") && !value.startsWith("data:") && !value.isEmpty()) {
                found.add(urls.group());
            }
        }
        Matcher http =
                Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(html);
        while (http.find()) {
            found.add(http.group());
        }
        assertTrue(found.isEmpty(), "external addresses: " + found.subList(0, Math.min(20, found.size())));
        assertFalse(html.contains("@import"), "a CSS import");
        assertFalse(html.contains("@font-face"), "a web font");
    }

    static String pdfText(byte[] pdf) throws IOException, InterruptedException {
        Path file = Files.createTempFile("report", ".pdf");
        try {
            Files.write(file, pdf);
            Process p = new ProcessBuilder("pdftotext", "-layout", "-enc", "UTF-8", file.toString(), "-")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pdftotext finished");
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    /** The chart specs embedded in a report, as their JSON text. */
    static List<String> specs(String html) {
        List<String> out = new ArrayList<>();
        String start = "<script type=\"application/json\" class=\"chart-spec\"";
        for (int from = html.indexOf(start); from >= 0; from = html.indexOf(start, from + 1)) {
            String tag = html.substring(from, html.indexOf("</script>", from));
            out.add(tag.substring(tag.indexOf('>') + 1));
        }
        return out;
    }
}
