package io.llmanalytics.analyst.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.service.Result;
import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.LlmConfig;
import io.llmanalytics.analyst.LlmMetrics;
import io.llmanalytics.analyst.PreviousAttempt;
import io.llmanalytics.analyst.TokenUsage;
import io.llmanalytics.analyst.plan.ModeAnalyst;
import io.llmanalytics.analyst.plan.PlanRequest;
import io.llmanalytics.analyst.plan.PlannedStep;
import io.llmanalytics.analyst.plan.StepOutcome;
import io.llmanalytics.analyst.plan.StepPlan;
import io.llmanalytics.analyst.plan.StepRequest;
import io.llmanalytics.analyst.plan.Synthesis;
import io.llmanalytics.schema.DatasetSchema;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-step modes of the OpenAI analyst, as prompt patterns: a plan prompt answered with JSON steps, then for
 * each step the code-generation prompt with the step's goal, the earlier steps' results (in the history block, quoted
 * as data) and the pattern's guidance, then a synthesis prompt answered with JSON. Each call goes through {@link
 * LlmGuard} like the single-answer calls.
 */
@ApplicationScoped
public class OpenAiModes implements ModeAnalyst {

    static final String PLAN = "plan";
    static final String SYNTHESIS = "synthesis";
    private static final int MIN_STEPS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiAnalyst analyst;
    private final OpenAiEndpoint endpoint;
    private final LlmGuard guard;
    private final LlmMetrics metrics;
    private final ModeService service;
    private final CodeGenerationPrompt codePrompt;
    private final PromptLimits limits;
    private final VirtualCalls calls = new VirtualCalls("llm-mode-");

    public OpenAiModes(
            OpenAiAnalyst analyst,
            OpenAiEndpoint endpoint,
            LlmGuard guard,
            LlmMetrics metrics,
            ModeService service,
            LlmConfig config) {
        this.analyst = analyst;
        this.endpoint = endpoint;
        this.guard = guard;
        this.metrics = metrics;
        this.service = service;
        this.limits = PromptLimits.from(config);
        this.codePrompt = new CodeGenerationPrompt(limits);
    }

    @Override
    public String name() {
        return OpenAiAnalyst.NAME;
    }

    @Override
    public Uni<StepPlan> plan(PlanRequest request) {
        return Uni.createFrom()
                .deferred(() -> {
                    String data = codePrompt.data(codeRequest(request, request.question(), List.of(), 1, null));
                    int max = Math.max(MIN_STEPS, request.maxSteps());
                    String guidance = ModePatterns.plan(request.mode());
                    return guard.call(
                            PLAN,
                            () -> calls.uni(() ->
                                    reply(() -> service.plan(MIN_STEPS, max, guidance, data, request.question()))));
                })
                .map(reply -> {
                    metrics.tokens(reply.model(), reply.usage());
                    JsonNode json = json(reply.text());
                    List<PlannedStep> steps = new ArrayList<>();
                    for (JsonNode step : json.path("steps")) {
                        String goal = step.isTextual()
                                ? step.asText()
                                : step.path("goal").asText("");
                        if (!goal.isBlank()) {
                            steps.add(PlannedStep.of(PromptText.truncate(goal, 300)));
                        }
                    }
                    return new StepPlan(steps, reply.usage(), reply.model());
                });
    }

    @Override
    public Uni<Generation> stepCode(StepRequest request) {
        PlanRequest plan = request.plan();
        StringBuilder question = new StringBuilder();
        question.append("Step ")
                .append(request.step())
                .append(" of a ")
                .append(plan.mode().label())
                .append(" analysis of the question ")
                .append(PromptText.quote(plan.question(), 1000))
                .append(".\n");
        question.append("This step computes: ")
                .append(PromptText.quote(request.planned().goal(), 300))
                .append('\n');
        if (!request.earlier().isEmpty()) {
            question.append("The results of earlier steps are already defined as variables (see <history>): ");
            List<String> names = new ArrayList<>();
            for (StepOutcome o : request.earlier()) {
                if (o.succeeded()) {
                    names.add("`" + o.variable() + "`");
                }
            }
            question.append(names.isEmpty() ? "none succeeded." : String.join(", ", names) + ".")
                    .append(" They hold at most the first rows of each result.\n");
        }
        question.append(ModePatterns.step(plan.mode()));
        List<Interaction> context = new ArrayList<>();
        for (StepOutcome o : request.earlier()) {
            if (o.succeeded()) {
                context.add(new Interaction(
                        o.variable() + ": " + o.goal(),
                        o.code(),
                        plan.privacy() ? null : PromptText.result(o.result(), limits.maxResultChars())));
            }
        }
        CodeRequest code = codeRequest(plan, question.toString(), context, request.attempt(), request.previous());
        return analyst.generateCode(code);
    }

    @Override
    public Uni<Synthesis> synthesize(PlanRequest request, List<StepOutcome> steps) {
        return Uni.createFrom()
                .deferred(() -> {
                    StringBuilder data = new StringBuilder();
                    for (StepOutcome o : steps) {
                        data.append("<step number=\"")
                                .append(o.step())
                                .append("\" goal=")
                                .append(PromptText.quote(o.goal(), 300))
                                .append(">\n");
                        if (o.succeeded()) {
                            data.append("Result: ")
                                    .append(PromptText.result(o.result(), limits.maxResultChars()))
                                    .append('\n');
                        } else {
                            data.append("Failed: ")
                                    .append(PromptText.quote(o.error(), 300))
                                    .append('\n');
                        }
                        data.append("</step>\n");
                    }
                    String guidance = ModePatterns.synthesis(request.mode());
                    String text = data.toString();
                    return guard.call(
                            SYNTHESIS,
                            () -> calls.uni(() -> reply(() -> service.synthesize(guidance, text, request.question()))));
                })
                .map(reply -> {
                    metrics.tokens(reply.model(), reply.usage());
                    JsonNode json = json(reply.text());
                    List<String> findings = new ArrayList<>();
                    json.path("findings").forEach(f -> findings.add(f.asText()));
                    List<String> next = new ArrayList<>();
                    json.path("next_questions").forEach(q -> next.add(PromptText.truncate(q.asText(), 300)));
                    return new Synthesis(json.path("text").asText(""), findings, next, reply.usage(), reply.model());
                });
    }

    private static CodeRequest codeRequest(
            PlanRequest plan, String question, List<Interaction> context, int attempt, PreviousAttempt previous) {
        List<DatasetSchema> datasets = plan.datasets();
        return new CodeRequest(question, datasets, context, plan.privacy(), attempt, previous, plan.sharedColumns());
    }

    /** The first JSON object of a reply (fences and prose around it ignored); empty when there is none. */
    static JsonNode json(String text) {
        if (text != null) {
            int start = text.indexOf('{');
            int end = text.lastIndexOf('}');
            if (start >= 0 && end > start) {
                try {
                    return JSON.readTree(text.substring(start, end + 1));
                } catch (Exception e) {
                    throw new MalformedAnswerException("the answer is not the JSON asked for: " + e.getMessage());
                }
            }
        }
        throw new MalformedAnswerException("the answer holds no JSON object");
    }

    private interface Call {
        Result<String> call();
    }

    private ChatReply reply(Call call) {
        ReportedModel.take();
        Result<String> result;
        try {
            result = call.call();
        } catch (RuntimeException e) {
            throw OpenAiAnalyst.named(e, "the answer is not JSON: ");
        }
        String model = ReportedModel.take();
        if (result.content() == null) {
            throw new MalformedAnswerException("the answer holds no message content");
        }
        var u = result.tokenUsage();
        TokenUsage usage = u == null
                ? TokenUsage.NONE
                : TokenUsage.of(u.inputTokenCount(), u.outputTokenCount(), u.totalTokenCount());
        return new ChatReply(result.content(), usage, model == null ? endpoint.model() : model);
    }

    @PreDestroy
    void close() {
        calls.close();
    }
}
