package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.analyst.AnalystHealth;
import io.llmanalytics.analyst.AnalystSelector;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.FallbackInterpretation;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.InterpretationChunk;
import io.llmanalytics.analyst.InterpretationRequest;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.python.PythonLiterals;
import io.llmanalytics.schema.DatasetSchema;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in, rule-based analyst: answers the common questions of business users without any language model, so
 * the service works with no key and no network, and for teams that may not send data anywhere. It matches the
 * question's words to the dataset's columns and values ({@link QuestionParser}), writes plain pandas code for what it
 * understood ({@link CodeWriter}) and explains the executed result from the result itself ({@link Narrator}). The
 * code then goes through the same validation, execution, history and grounding as any other analyst's.
 *
 * <p>It never guesses: a question it cannot place fails with {@code QUESTION_NOT_UNDERSTOOD} (422), whose detail
 * says why, lists example questions built from the dataset's own columns, and says how to configure a language model.
 * Its code does not change between attempts, so a failed execution ends the analysis at once instead of being
 * retried.
 */
@ApplicationScoped
public class OfflineAnalyst implements Analyst {

    static final String MODEL = "rule-based";
    private static final int EXAMPLES = 4;
    private static final Pattern LOOKUP_ERROR = Pattern.compile(Pattern.quote(CodeWriter.LOOKUP_FAILED) + " ([^\\n]*)");
    static final String HOW_TO_CONFIGURE = "To ask free-form questions, configure a language model: set"
            + " OPENAI_API_KEY (and optionally OPENAI_MODEL), or OPENAI_BASE_URL for any OpenAI-compatible server such"
            + " as a local Ollama, then restart the service.";

    @Override
    public String name() {
        return AnalystSelector.OFFLINE;
    }

    /** Always: the rule-based analyst needs no settings. */
    @Override
    public boolean configured() {
        return true;
    }

    /** The lowest: under {@code ANALYST=auto} it answers only when no language model is configured. */
    @Override
    public int priority() {
        return 0;
    }

    @Override
    public AnalystHealth health() {
        return new AnalystHealth(true, Map.of("available", true));
    }

    @Override
    public Uni<Generation> generateCode(CodeRequest request) {
        // CPU only, about a millisecond; on a worker thread all the same, as a schema can have thousands of columns
        return Uni.createFrom().item(() -> generate(request)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The code for a request. */
    Generation generate(CodeRequest request) {
        if (request.previous() != null) {
            throw failedBefore(request);
        }
        QuestionParser.Understood understood;
        try {
            understood = QuestionParser.understand(
                    request.question(),
                    request.datasets(),
                    request.context(),
                    request.sharedColumns(),
                    request.dictionaries());
        } catch (NotUnderstood e) {
            if (e.clarification() != null) {
                return Generation.clarify(e.clarification(), e.getMessage(), TokenUsage.NONE, MODEL, name());
            }
            Log.debugf("Offline analyst did not understand a question: %s", e.getMessage());
            throw notUnderstood(e.reasons(), e.unrecognized(), e.suggested(), request.question(), request.primary());
        }
        String source = understood.dataset() == 0
                ? "df"
                : "dfs["
                        + PythonLiterals.string(
                                request.datasets().get(understood.dataset()).name()) + "]";
        String code = new CodeWriter(understood.lexicon(), source).write(understood.plan());
        String reading = Describe.reading(understood.plan());
        List<String> mappings = understood.lexicon().mappings();
        if (reading != null && !mappings.isEmpty()) {
            reading = reading + " (" + String.join("; ", mappings) + ")";
        }
        return new Generation(code, code, TokenUsage.NONE, MODEL, name(), reading);
    }

    @Override
    public Multi<InterpretationChunk> interpret(InterpretationRequest request) {
        return Multi.createFrom().deferred(() -> {
            String text = PlanComment.read(request.code())
                    .map(plan -> Narrator.explain(plan, request.result(), request.summary(), request.question()))
                    .orElseGet(() -> FallbackInterpretation.describe(request.result(), request.summary()));
            text = text + FallbackInterpretation.units(request.units());
            List<InterpretationChunk> chunks = new ArrayList<>();
            Matcher words = Pattern.compile("\\S+\\s*").matcher(text);
            while (words.find()) {
                chunks.add(new InterpretationChunk.Delta(words.group()));
            }
            chunks.add(new InterpretationChunk.Completed(text, TokenUsage.NONE, MODEL));
            return Multi.createFrom().iterable(chunks);
        });
    }

    /**
     * The second attempt of a question: the offline analyst would write the same code again, so the analysis ends
     * here, with the reason the first attempt failed.
     */
    private static ProblemException failedBefore(CodeRequest request) {
        PreviousAttempt previous = request.previous();
        String feedback = previous.feedback() == null ? "" : previous.feedback();
        Matcher lookup = LOOKUP_ERROR.matcher(feedback);
        if (lookup.find()) {
            return notUnderstood(List.of(lookup.group(1).strip().replaceAll("[.']+$", "")), request.primary());
        }
        String first = feedback.lines()
                .filter(l -> !l.isBlank())
                .reduce((a, b) -> b)
                .orElse("no details")
                .strip();
        return new ProblemException(
                ProblemType.ANALYSIS_FAILED,
                "The offline analyst's code "
                        + (previous.failure() == PreviousAttempt.Failure.VALIDATION
                                ? "was refused by the validator"
                                : "failed")
                        + " (" + abbreviate(first, 300) + "); it would write the same code again, so it stops here."
                        + " Rephrase the question, or " + Character.toLowerCase(HOW_TO_CONFIGURE.charAt(0))
                        + HOW_TO_CONFIGURE.substring(1));
    }

    static ProblemException notUnderstood(List<String> reasons, DatasetSchema schema) {
        return notUnderstood(reasons, List.of(), List.of(), null, schema);
    }

    /**
     * The problem of a question the analyst does not answer: the reasons in the detail, and as extension members the
     * words it did not understand ({@code unrecognized}) and the closest questions it would answer
     * ({@code suggestions}, each checked to parse into a plan).
     */
    static ProblemException notUnderstood(
            List<String> reasons,
            List<String> unrecognized,
            List<String> suggested,
            String question,
            DatasetSchema schema) {
        List<String> suggestions = new ArrayList<>(suggested);
        for (String s : Suggestions.closest(question, unrecognized, schema, EXAMPLES)) {
            if (suggestions.size() < Math.max(EXAMPLES, suggested.size()) && !suggestions.contains(s)) {
                suggestions.add(s);
            }
        }
        StringBuilder detail =
                new StringBuilder("The offline analyst could not understand this question without" + " guessing");
        if (!reasons.isEmpty()) {
            detail.append(": ").append(String.join("; ", reasons));
        }
        detail.append(". ");
        if (!suggestions.isEmpty()) {
            detail.append("Questions it can answer about '")
                    .append(schema.name())
                    .append("' look like: ");
            detail.append(String.join(
                            ", ", suggestions.stream().map(q -> "\"" + q + "\"").toList()))
                    .append(". ");
        }
        detail.append(HOW_TO_CONFIGURE);
        return new ProblemException(Problem.of(ProblemType.QUESTION_NOT_UNDERSTOOD, detail.toString())
                .with("unrecognized", List.copyOf(unrecognized))
                .with("suggestions", suggestions));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
