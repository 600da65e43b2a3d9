package io.llmanalytics.hostile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.analyst.openai.LlmGuard;
import io.llmanalytics.hostile.HostileReport.Outcome;
import io.llmanalytics.hostile.HostileReport.Stop;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.Uploads;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.LlmStubProfile;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStubResource;
import io.llmanalytics.testing.llm.StubRequest;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hostile-code suite through the public API: every case of hostile/cases.json (the worker's own cases plus the
 * hardening issue's: eval/query injection, CPU, disk, encoding tricks, information leaks, persistence, prompt injection
 * through column names and cells) is the code the model (the OpenAI stub) answers for a question on a fresh session.
 * Each case must not reach its goal (a file created or destroyed, a connection, a secret in any event, stored history
 * entry or later prompt, state visible to the next execution, output beyond its bound, code run to completion), and
 * is classified blocked (the validator refused it) or contained (it ran and the worker stopped it, or it was harmless).
 * Afterwards the same analysis answers normally (the model's second attempt is benign code), nothing of another
 * session reached the model, and the service is ready. The per-category report is target/hostile-report.txt.
 */
@QuarkusTest
@TestProfile(LlmStubProfile.class)
class HostileApiTest {

    private static final Pattern RUN = Pattern.compile("hostile-run-([0-9a-f]{16})");
    private static final int PARALLEL = 4;
    private static final Duration ANALYSIS_LIMIT = Duration.ofSeconds(120);
    private static final Set<String> REQUIRED = Set.of(
            "imports",
            "builtins",
            "dunder/frame walks",
            "file read",
            "file write",
            "network",
            "process",
            "pickle",
            "eval/query injection",
            "cpu",
            "memory",
            "disk",
            "output size",
            "encoding tricks",
            "information leaks",
            "persistence",
            "prompt-injection");
    /** Characters that could end a quoted block or fence of the prompt: a hostile text holding one must never appear raw. */
    private static final String FRAMING = "\"\n<>`&";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    LlmGuard guard;

    @TestHTTPResource("/")
    URI base;

    private final Map<String, Deque<String>> scripts = new ConcurrentHashMap<>();
    private final List<String> unscripted = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ThreadLocal<String> shared = new ThreadLocal<>();

    private record Call(String body, SseEvents events) {}

    @Test
    void noHostileCaseReachesItsGoalAndTheServiceStaysHealthy() throws Exception {
        stub.reset();
        guard.breaker().reset();
        stub.respond(this::answer);
        List<HostileCase> cases = HostileCase.all();
        assertTrue(cases.size() >= 150, "at least 150 hostile cases, found " + cases.size());
        Set<String> categories = new TreeSet<>();
        cases.forEach(c -> categories.add(c.reportCategory()));
        assertTrue(categories.containsAll(REQUIRED), "every category of the issue: " + categories);

        long started = System.nanoTime();
        HostileReport report = new HostileReport();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        try (HostileWorld world = new HostileWorld(OpenAiStubResource.API_KEY)) {
            String bystander = Uploads.sessionOf("bystander.csv", world.bystanderCsv());
            String observer = Uploads.sessionOf("observer.csv", HostileWorld.standardCsv());
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (HostileCase c : cases) {
                    runs.add(pool.submit(() -> {
                        try {
                            report.add(runCase(world, c, observer, problems));
                        } catch (Throwable e) {
                            problems.add(c.id() + ": " + e);
                        }
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            for (StubRequest request : stub.requests()) {
                assertFalse(
                        request.bodyText().contains(world.otherSecret),
                        "another session's data reached the model in request " + request.index());
                assertFalse(
                        request.bodyText().contains(world.serviceSecret),
                        "the service's API key reached a prompt in request " + request.index());
            }
            given().get("/api/session/" + bystander).then().statusCode(200).body("history.size()", is(0));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report.write(seconds);
        Log.info(report.text(seconds));
        assertEquals(List.of(), unscripted, "model requests the suite did not script");
        assertEquals(List.of(), problems);
        assertEquals(cases.size(), report.size());
        assertEquals(
                List.of(),
                report.reached().stream()
                        .map(o -> o.hostile().id() + ": " + o.detail())
                        .toList(),
                "hostile cases that reached their goal");
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/api/health").then().statusCode(200);
    }

    /** The model: interpretations are a fixed sentence, code comes from the script of the run named in the question. */
    private StubResponse answer(StubRequest request) {
        if (request.streaming()) {
            return StubResponse.content("Done.");
        }
        Matcher m = RUN.matcher(request.prompt());
        while (m.find()) {
            Deque<String> script = scripts.get(m.group(1));
            if (script != null) {
                synchronized (script) {
                    return StubResponse.code(script.size() > 1 ? script.poll() : script.peek());
                }
            }
        }
        unscripted.add("request " + request.index());
        return StubResponse.code("raise RuntimeError('unscripted')");
    }

    private Outcome runCase(HostileWorld world, HostileCase template, String observer, List<String> problems)
            throws Exception {
        try (HostileWorld.Run run = world.run()) {
            HostileCase c = template.fill(run.values);
            String goalText = c.goal().path("text").asText("");
            if (!goalText.isEmpty() && c.code().contains(goalText)) {
                problems.add(c.id() + ": the code holds its own goal text, so the check would be meaningless");
            }
            boolean ownData = c.dataset() != null;
            // cases with their own table get their own session; the others share one session per suite thread
            String session = ownData ? Uploads.sessionOf(c.id() + ".csv", c.dataset()) : sharedSession();
            int expected = ownData ? 3 : 5050;
            String benign = "result = int(df['x'].sum())  # after " + run.token;
            String token = HostileWorld.hex(8);
            Call hostile = analyze(session, token, List.of(c.code(), benign));
            SseEvents events = hostile.events();

            JsonNode validation = first(events, "validation");
            JsonNode extracted = first(events, "code");
            // the code extractor may already have dropped hostile lines (e.g. ones with fullwidth or invisible letters)
            boolean rewritten = extracted != null
                    && !extracted.path("code").asText().strip().equals(c.code().strip());
            boolean blocked =
                    rewritten || validation != null && !validation.path("ok").asBoolean();
            JsonNode execution = blocked ? null : first(events, "execution");
            JsonNode result = first(events, "result");
            String how = rewritten
                    ? "code extraction kept only: "
                            + abbreviate(extracted.path("code").asText(), 60)
                    : blocked
                            ? "validator: " + rules(validation)
                            : execution == null
                                    ? "not run"
                                    : execution.path("success").asBoolean()
                                            ? "ran, harmless or bounded: result "
                                                    + abbreviate(
                                                            result == null
                                                                    ? "none"
                                                                    : result.path("result")
                                                                            .toString(),
                                                            60)
                                            : "worker: "
                                                    + abbreviate(
                                                            execution
                                                                    .path("error")
                                                                    .asText(),
                                                            110);

            if (!c.injected().isEmpty()) {
                checkQuoted(c, token, problems);
            }
            String reached = reached(c, run, token, hostile, execution, session, observer);

            // the same analysis then answers normally (the model's next attempt is benign), or a new one does
            String last = events.last().name();
            // the first attempt answered (harmless code, or what the extractor kept of it): no benign retry happened
            boolean hostileSucceeded = events.named("code").size() == 1 && "done".equals(last);
            if (!"done".equals(last)) {
                problems.add(c.id() + ": the analysis ended with " + last + " "
                        + events.last().data());
            } else if (!hostileSucceeded && events.done().path("raw_result").asInt() != expected) {
                problems.add(
                        c.id() + ": the benign retry answered " + events.done().path("raw_result"));
            }
            if (hostileSucceeded) {
                Call after = analyze(session, HostileWorld.hex(8), List.of(benign));
                if (!"done".equals(after.events().last().name())
                        || after.events().done().path("raw_result").asInt() != expected) {
                    problems.add(c.id() + ": the next analysis did not answer normally: "
                            + after.events().last().data());
                }
            }
            if (ownData) {
                given().delete("/api/session/" + session).then().statusCode(204);
            }
            return new Outcome(c, blocked ? Stop.BLOCKED : Stop.CONTAINED, reached != null, how, reached);
        }
    }

    private String sharedSession() {
        if (shared.get() == null) {
            shared.set(Uploads.sessionOf("standard.csv", HostileWorld.standardCsv()));
        }
        return shared.get();
    }

    /** Why the case reached its goal, or null when it did not. */
    private String reached(
            HostileCase c,
            HostileWorld.Run run,
            String analysis,
            Call hostile,
            JsonNode execution,
            String session,
            String observer)
            throws Exception {
        Boolean machine = run.machineGoal(c);
        if (machine != null) {
            return machine ? c.goalKind() + " " + c.goal().path("path").asText("") : null;
        }
        boolean ran = execution != null && execution.path("success").asBoolean();
        switch (c.goalKind()) {
            case "succeeds", "completes":
                return ran ? "the code ran to completion" : null;
            case "result_contains": {
                String text = c.goal().path("text").asText();
                String seen =
                        visibleOutput(hostile.events()) + "\n" + history(session) + "\n" + prompts(run.token, analysis);
                return seen.contains(text) ? "'" + text + "' reached the client, the history or the model" : null;
            }
            case "output_exceeds": {
                long bytes = hostile.body().getBytes(StandardCharsets.UTF_8).length;
                long bound = 2 * c.goal().path("bytes").asLong() + 65_536; // the result is in `result` and in `done`
                return bytes > bound ? "the stream carried " + bytes + " bytes" : null;
            }
            case "state_leak": {
                JsonNode leaked = c.goal().path("leaked");
                String probe = c.goal().path("probe").asText() + "\n# probe " + run.token;
                for (String s : List.of(session, observer)) {
                    SseEvents probed =
                            analyze(s, HostileWorld.hex(8), List.of(probe)).events();
                    JsonNode result = first(probed, "result");
                    if (result != null && leaked.equals(result.path("result"))) {
                        return "the probe saw " + leaked + " in session " + (s.equals(session) ? "itself" : "another");
                    }
                }
                return null;
            }
            default:
                throw new AssertionError(c.id() + ": unknown goal kind " + c.goalKind());
        }
    }

    /** A prompt-injection text reaches the model only inside a JSON string literal, never raw. */
    private void checkQuoted(HostileCase c, String token, List<String> problems) {
        StubRequest request = stub.requests().stream()
                .filter(r -> !r.streaming() && r.prompt().contains(token))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.id() + ": no code request"));
        String prompt = request.prompt();
        for (String text : c.injected()) {
            boolean framing = text.chars().anyMatch(ch -> FRAMING.indexOf(ch) >= 0);
            if (framing && prompt.contains(text)) {
                problems.add(c.id() + ": the injected text reached the model raw: " + abbreviate(text, 60));
            }
            String quotedPrefix = "\"" + jsonEscaped(text.substring(0, Math.min(24, text.length())));
            if (!prompt.toLowerCase().contains(quotedPrefix.toLowerCase())) {
                problems.add(c.id() + ": the injected text is not quoted as data in the prompt: " + quotedPrefix);
            }
        }
    }

    /** JSON string escaping plus unicode escapes for {@code < > & `}, written independently of the product's. */
    static String jsonEscaped(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || "<>&`".indexOf(ch) >= 0) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }

    private Call analyze(String session, String token, List<String> codes) throws Exception {
        scripts.put(token, new ArrayDeque<>(codes));
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/session/" + session + "/analyze"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"question\": \"Answer run hostile-run-" + token + " with the data\"}"))
                    .build();
            HttpResponse<String> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(ANALYSIS_LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            return new Call(response.body(), SseEvents.parse(response.body()));
        } finally {
            scripts.remove(token);
        }
    }

    private static JsonNode first(SseEvents events, String name) {
        List<SseEvents.Event> named = events.named(name);
        return named.isEmpty() ? null : named.get(0).data();
    }

    /** Everything the client saw except the code itself (the goal texts are never in a case's code). */
    private static String visibleOutput(SseEvents events) {
        StringBuilder out = new StringBuilder();
        for (SseEvents.Event e : events.events()) {
            if (!e.name().equals("code")) {
                out.append(withoutCode(e.data())).append('\n');
            }
        }
        return out.toString();
    }

    private static String history(String session) {
        String body = given().get("/api/session/" + session)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return withoutCode(HostileCase.JSON.readTree(body)).toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What the model was sent for this case (the retry prompt carries the failed attempt's error, for one). */
    private String prompts(String caseToken, String analysisToken) {
        StringBuilder out = new StringBuilder();
        stub.requests().stream()
                .filter(r -> r.bodyText().contains(caseToken) || r.bodyText().contains(analysisToken))
                .forEach(r -> out.append(r.bodyText()));
        return out.toString();
    }

    private static JsonNode withoutCode(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("code", "generated_code"));
        }
        node.forEach(HostileApiTest::strip);
    }

    private static String rules(JsonNode validation) {
        List<String> rules = new ArrayList<>();
        validation.path("violations").forEach(v -> rules.add(v.path("rule").asText()));
        return String.join(",", new TreeSet<>(rules));
    }

    private static String abbreviate(String s, int max) {
        String line = s.replace('\n', ' ');
        if (line.length() <= max) {
            return line;
        }
        int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
        return line.substring(0, cut) + "...";
    }
}
