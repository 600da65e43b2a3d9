package io.llmanalytics.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The newest interactions kept between questions answer only the session counters they were read or appended with. */
class RecentInteractionsTest {

    private static final StoredInteraction TEMPLATE =
            HistoryMigration.interaction(InteractionStoreTest.legacyEntry(1, false));

    private static SessionDocument session(String id, long count, long moved) {
        SessionDocument doc = new SessionDocument();
        doc.id = id;
        doc.interactionCount = count;
        doc.interactionsMoved = moved;
        return doc;
    }

    private static StoredInteraction i(String id) {
        return InteractionStoreTest.withId(TEMPLATE, id);
    }

    private static List<String> ids(List<StoredInteraction> list) {
        return list == null
                ? null
                : list.stream().map(StoredInteraction::conversationId).toList();
    }

    @Test
    void aReadIsUsedOnlyForTheCountersAndLimitItWasReadWith() {
        RecentInteractions recent = new RecentInteractions(10);
        recent.put(session("s", 2, 0), 2, List.of(i("a"), i("b")));
        assertEquals(List.of("a", "b"), ids(recent.get(session("s", 2, 0), 2)));
        assertNull(recent.get(session("s", 3, 0), 2), "appended elsewhere since");
        assertNull(recent.get(session("s", 2, 1), 2), "a history moved since");
        assertNull(recent.get(session("s", 2, 0), 3), "another limit");
        assertNull(recent.get(session("t", 2, 0), 2), "another session");
    }

    @Test
    void anAppendExtendsOnlyTheEntryItContinues() {
        RecentInteractions recent = new RecentInteractions(10);
        recent.put(session("s", 2, 0), 2, List.of(i("a"), i("b")));
        recent.appended("s", 3, i("c"));
        assertEquals(List.of("b", "c"), ids(recent.get(session("s", 3, 0), 2)));
        assertNull(recent.get(session("s", 2, 0), 2));
        recent.appended("s", 5, i("e")); // 4 is in flight or elsewhere: not known to follow 3 without a gap
        assertNull(recent.get(session("s", 5, 0), 2));
        assertEquals(List.of("b", "c"), ids(recent.get(session("s", 3, 0), 2)));
        recent.forget("s");
        assertNull(recent.get(session("s", 3, 0), 2), "forgotten (deleted)");
    }

    @Test
    void boundedToTheMostRecentlyUsedSessionsAndOffAtZero() {
        RecentInteractions recent = new RecentInteractions(2);
        recent.put(session("a", 1, 0), 2, List.of(i("a1")));
        recent.put(session("b", 1, 0), 2, List.of(i("b1")));
        recent.get(session("a", 1, 0), 2);
        recent.put(session("c", 1, 0), 2, List.of(i("c1")));
        assertNull(recent.get(session("b", 1, 0), 2), "the least recently used is forgotten");
        assertEquals(List.of("a1"), ids(recent.get(session("a", 1, 0), 2)));
        RecentInteractions off = new RecentInteractions(0);
        off.put(session("a", 1, 0), 2, List.of(i("a1")));
        assertNull(off.get(session("a", 1, 0), 2));
    }
}
