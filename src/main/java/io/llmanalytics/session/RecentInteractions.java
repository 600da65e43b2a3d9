package io.llmanalytics.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest interactions of recently asked sessions, as last read or appended by this instance: a cache that is
 * correct when empty. An entry holds a session's newest {@code limit} interactions with no gap among them, together
 * with the counters of the session document they belong to ({@code interactionCount}, {@code interactionsMoved});
 * it answers only a session document read with exactly those counters. Interactions are never changed once stored,
 * and any append (on any replica) moves the counter, so a hit is what the store would return; an append by this
 * instance extends the entry it continues (written through), so that a follow-up finds its context without a read.
 * Bounded: the least recently used sessions are forgotten beyond {@code maxSessions}.
 */
final class RecentInteractions {

    /** A gap-free run of a session's newest interactions, oldest first, as of its counters. */
    private record Newest(long count, long moved, int limit, List<StoredInteraction> newest) {}

    private final int maxSessions;
    private final Map<String, Newest> entries;

    RecentInteractions(int maxSessions) {
        this.maxSessions = maxSessions;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Newest> eldest) {
                return size() > RecentInteractions.this.maxSessions;
            }
        };
    }

    /** The newest {@code limit} interactions of the session as read (its counters), or null when not known here. */
    synchronized List<StoredInteraction> get(SessionDocument session, int limit) {
        if (maxSessions <= 0) {
            return null;
        }
        Newest e = entries.get(session.id);
        if (e == null
                || e.count() != session.interactionCount
                || e.moved() != session.interactionsMoved
                || e.limit() != limit) {
            return null;
        }
        return new ArrayList<>(e.newest());
    }

    /** Remembers the newest {@code limit} interactions read, gap-free, for a session with these counters. */
    synchronized void put(SessionDocument session, int limit, List<StoredInteraction> newest) {
        if (maxSessions > 0) {
            entries.put(
                    session.id,
                    new Newest(session.interactionCount, session.interactionsMoved, limit, List.copyOf(newest)));
        }
    }

    /**
     * Interaction {@code seq} of a session was stored (and the session still existed afterwards): the entry that
     * ends with {@code seq - 1} now ends with it; any other entry is left as it is (it answers other counters only).
     */
    synchronized void appended(String sessionId, long seq, StoredInteraction interaction) {
        Newest e = entries.get(sessionId);
        if (e == null || e.count() != seq - 1) {
            return;
        }
        List<StoredInteraction> newest = new ArrayList<>(e.newest());
        newest.add(interaction);
        while (newest.size() > e.limit()) {
            newest.remove(0);
        }
        entries.put(sessionId, new Newest(seq, e.moved(), e.limit(), List.copyOf(newest)));
    }

    /** Forgets a session (deleted). */
    synchronized void forget(String sessionId) {
        entries.remove(sessionId);
    }
}
