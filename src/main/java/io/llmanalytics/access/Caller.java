package io.llmanalytics.access;

/**
 * Who is calling: a key's id (API-key mode) or a client address (open mode).
 *
 * @param id the key's id (16 hex digits of its SHA-256) or the client's address
 * @param keyed whether the caller presented a key; sessions are then theirs alone
 */
public record Caller(String id, boolean keyed) {

    /** The owner recorded on sessions the caller creates: the key's id, none in open mode. */
    public String owner() {
        return keyed ? id : null;
    }

    /** The key limits are counted under. */
    String limitKey() {
        return keyed ? "key:" + id : "ip:" + id;
    }

    /** Whether the caller may see a session owned by {@code owner}: always in open mode, else only its own. */
    public boolean owns(String owner) {
        return !keyed || id.equals(owner);
    }
}
