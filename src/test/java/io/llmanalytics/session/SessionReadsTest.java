package io.llmanalytics.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A burst of reads of one session through {@link SessionService#find}: shared round trips, each request its own
 * document, every write acknowledged before a request seen by it.
 */
@QuarkusTest
class SessionReadsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SessionService sessions;

    @Inject
    SessionStore store;

    @Test
    void aBurstOfReadsSeesEveryWriteMadeBeforeItAndNoRequestSharesADocument() {
        String id = Uploads.sessionOf("burst.csv", "region,revenue\nEU,1\nUS,2\n");
        List<Uni<SessionDocument>> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(sessions.find(id));
        }
        List<SessionDocument> first =
                Uni.join().all(before).andFailFast().await().atMost(WAIT);

        assertTrue(store.markVerified(id).await().atMost(WAIT)); // acknowledged: every later request must see it
        List<Uni<SessionDocument>> after = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            after.add(sessions.find(id));
        }
        List<SessionDocument> second =
                Uni.join().all(after).andFailFast().await().atMost(WAIT);

        for (SessionDocument doc : first) {
            assertEquals(id, doc.id);
            assertEquals(
                    List.of("region", "revenue"), doc.datasets.get(0).schema().columnNames());
            assertEquals(Boolean.FALSE, doc.verifiedAnswers);
        }
        second.forEach(doc -> assertEquals(Boolean.TRUE, doc.verifiedAnswers, "a read after the write sees it"));
        for (int i = 1; i < first.size(); i++) {
            assertNotSame(first.get(0), first.get(i), "each request decodes its own document");
            assertNotSame(first.get(0).datasets, first.get(i).datasets);
        }
    }

    @Test
    void aMissingSessionIsNotFoundForEveryRequestOfTheBurst() {
        String gone = UUID.randomUUID().toString();
        List<Uni<Throwable>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reads.add(sessions.find(gone)
                    .map(found -> (Throwable) null)
                    .onFailure()
                    .recoverWithItem(e -> e));
        }
        for (Throwable failure : Uni.join().all(reads).andFailFast().await().atMost(WAIT)) {
            assertTrue(
                    failure instanceof ProblemException p && p.type() == ProblemType.NOT_FOUND,
                    String.valueOf(failure));
        }
    }
}
