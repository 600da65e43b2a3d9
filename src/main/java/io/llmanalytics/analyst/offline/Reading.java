package io.llmanalytics.analyst.offline;

import java.util.ArrayList;
import java.util.List;

/** The items of one question and which of them have been accounted for. */
final class Reading {

    final List<Item> items;
    final Lexicon lexicon;
    private final boolean[] used;

    Reading(List<Item> items, Lexicon lexicon) {
        this.items = List.copyOf(items);
        this.lexicon = lexicon;
        this.used = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            used[i] = items.get(i).kind() == Item.Kind.FILLER;
        }
    }

    Item get(int i) {
        return items.get(i);
    }

    int size() {
        return items.size();
    }

    boolean used(int i) {
        return used[i];
    }

    void use(int... indexes) {
        for (int i : indexes) {
            if (i >= 0) {
                used[i] = true;
            }
        }
    }

    /** The next item after {@code i} that is not a filler word, or -1. */
    int next(int i) {
        for (int j = i + 1; j < items.size(); j++) {
            if (items.get(j).kind() != Item.Kind.FILLER) {
                return j;
            }
        }
        return -1;
    }

    /** The previous item before {@code i} that is not a filler word, or -1. */
    int prev(int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (items.get(j).kind() != Item.Kind.FILLER) {
                return j;
            }
        }
        return -1;
    }

    boolean isCue(int i, Cue... cues) {
        if (i < 0 || i >= items.size()) {
            return false;
        }
        for (Cue c : cues) {
            if (items.get(i).is(c)) {
                return true;
            }
        }
        return false;
    }

    boolean isKind(int i, Item.Kind kind) {
        return i >= 0 && i < items.size() && items.get(i).kind() == kind;
    }

    /** Indexes of the items with one of these cues. */
    List<Integer> all(Cue... cues) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (isCue(i, cues)) {
                found.add(i);
            }
        }
        return found;
    }

    boolean has(Cue... cues) {
        return !all(cues).isEmpty();
    }

    /** Marks every item with one of these cues used; returns whether there was one. */
    boolean take(Cue... cues) {
        List<Integer> found = all(cues);
        found.forEach(this::use);
        return !found.isEmpty();
    }

    /** Unused items of this kind. */
    List<Integer> unused(Item.Kind kind) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!used[i] && items.get(i).kind() == kind) {
                found.add(i);
            }
        }
        return found;
    }

    /** Unused items, all kinds. */
    List<Integer> unused() {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!used[i]) {
                found.add(i);
            }
        }
        return found;
    }
}
