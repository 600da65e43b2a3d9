package io.llmanalytics.analyst.plan;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/** The multi-step side of the analyst that answers: the {@link ModeAnalyst} of the same name. */
@ApplicationScoped
public class ModeAnalysts {

    private final List<ModeAnalyst> analysts;

    public ModeAnalysts(@Any Instance<ModeAnalyst> analysts) {
        this.analysts = analysts.stream().toList();
    }

    /** The multi-step side of {@code analyst}; 503 when this build has none for it. */
    public ModeAnalyst of(Analyst analyst) {
        return analysts.stream()
                .filter(a -> a.name().equals(analyst.name()))
                .findFirst()
                .orElseThrow(() -> new ProblemException(
                        ProblemType.LLM_NOT_CONFIGURED,
                        "The analyst '" + analyst.name() + "' cannot run multi-step analyses; ask with mode"
                                + " \"answer\"."));
    }
}
