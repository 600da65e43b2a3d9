package io.llmanalytics.analyst.offline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The fixed words of questions: cue phrases, words of no consequence, month names, words that name rows. */
final class Vocabulary {

    /** Function words: never taken for a column or a value, whatever the dataset. */
    static final Set<String> STRUCTURAL = singulars(
            "the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "and", "or", "is", "are", "was", "were", "be",
            "been", "with", "what", "which", "who", "how", "me", "my", "i", "we", "you", "it", "its", "that", "this",
            "there", "do", "does", "did", "not", "no", "from", "per", "than", "as", "all", "each", "every", "whose",
            "where", "when", "s", "t", "their", "they", "them", "those", "these", "has", "have", "had", "our", "us",
            "your", "into", "if", "can", "could", "would", "should", "will");

    /** Words that carry no meaning for the analysis. */
    static final Set<String> FILLER = singulars(
            "show",
            "tell",
            "give",
            "get",
            "find",
            "calculate",
            "compute",
            "display",
            "please",
            "pls",
            "plz",
            "let",
            "know",
            "see",
            "want",
            "need",
            "look",
            "hey",
            "hi",
            "hello",
            "just",
            "about",
            "around",
            "roughly",
            "approximately",
            "approx",
            "currently",
            "data",
            "dataset",
            "table",
            "file",
            "sheet",
            "spreadsheet",
            "csv",
            "here",
            "so",
            "thanks",
            "thank",
            "make",
            "made",
            "earn",
            "earned",
            "generate",
            "generated",
            "got",
            "pay",
            "paid",
            "spend",
            "spent",
            "overall",
            "whole",
            "entire",
            "given",
            "any",
            "some",
            "really",
            "actually",
            "ever",
            "only",
            "just",
            "then",
            "work",
            "out",
            "up",
            "much",
            "many",
            "like",
            "over",
            "also",
            "one",
            "ones",
            "kind",
            "type",
            "category",
            "group",
            "grouped",
            "value",
            "amount",
            "level",
            "on",
            "an",
            "be",
            "being",
            "been",
            "where",
            "when",
            "while",
            "whose",
            "which",
            "who",
            "what",
            "how",
            "why",
            "ok",
            "okay",
            "well",
            "now",
            "again",
            "same",
            "other",
            "else",
            "including",
            "inclusive",
            "included",
            "recorded",
            "listed",
            "present",
            "available",
            "shown",
            "there",
            "exist",
            "exists",
            "existing",
            "contained",
            "across",
            "overall",
            "together",
            "sort",
            "both",
            "either",
            "figure",
            "number",
            "stat",
            "quickly",
            "briefly",
            "exact",
            "precise",
            "current",
            "dataframe",
            "df",
            "information",
            "info",
            "detail",
            "details",
            "result",
            "answer",
            "compare",
            "comparison",
            "versus",
            "vs",
            "respectively",
            "separately",
            "individually",
            "broken",
            "grouped",
            "have",
            "has",
            "had",
            "having",
            "are",
            "is",
            "was",
            "were",
            "into",
            "as",
            "a",
            "the",
            "to",
            "of",
            "for",
            "in",
            "at",
            "with",
            "from",
            "that",
            "this",
            "it",
            "i",
            "me",
            "my",
            "we",
            "us",
            "our",
            "you",
            "your",
            "their",
            "they",
            "them",
            "can",
            "could",
            "would",
            "should",
            "will",
            "do",
            "does",
            "did",
            "done",
            "if",
            "s",
            "t",
            "go",
            "went",
            "come",
            "came",
            "brought",
            "bring",
            "total",
            "record",
            "happen",
            "happened",
            "occurred",
            "occur",
            "took",
            "take",
            "place",
            "registered",
            "observed",
            "measured",
            "seen",
            "reported",
            "noted",
            "logged",
            "placed",
            "sold",
            "sell",
            "bought",
            "buy",
            "purchased",
            "ordered",
            "shipped",
            "received",
            "booked",
            "created",
            "recorded",
            "belong",
            "belonging",
            "fall",
            "falling",
            "compared",
            "vs",
            "versus",
            "currently",
            "altogether",
            "selling",
            "seller",
            "sellers",
            "bestselling",
            "single");

    /** Words of comparisons: one figure per side, never one pooled figure. */
    static final Set<String> COMPARING = singulars(
            "vs", "versus", "compare", "compared", "comparison", "difference", "differences", "diff", "against");

    /** Row words that a table of orders or records can mean by its rows ("average revenue per order"). */
    static final Set<String> GENERIC_ROWS = singulars(
            "row",
            "record",
            "entry",
            "line",
            "transaction",
            "order",
            "sale",
            "observation",
            "case",
            "instance",
            "item",
            "purchase");

    /** Verbs after which "by" names who did something ("fare paid by passengers"), not a grouping. */
    static final Set<String> BY_VERBS = singulars(
            "paid",
            "spent",
            "earned",
            "made",
            "generated",
            "sold",
            "bought",
            "purchased",
            "placed",
            "ordered",
            "booked",
            "received",
            "taken",
            "held",
            "owned",
            "driven",
            "played");

    /** Words of no consequence, unless they are part of exactly one column's name ("category", "type"). */
    static final Set<String> NAME_FILLERS = singulars(
            "category",
            "type",
            "kind",
            "group",
            "value",
            "amount",
            "level",
            "figure",
            "number",
            "detail",
            "information",
            "info",
            "class",
            "status",
            "name");

    /** Words of questions that are about rows rather than a column: "how many passengers", "top 5 customers". */
    static final Set<String> ROW_WORDS = singulars(
            "row",
            "record",
            "entry",
            "observation",
            "line",
            "item",
            "case",
            "instance",
            "sample",
            "people",
            "person",
            "customer",
            "client",
            "user",
            "order",
            "transaction",
            "sale",
            "purchase",
            "employee",
            "passenger",
            "player",
            "car",
            "vehicle",
            "house",
            "home",
            "property",
            "patient",
            "student",
            "member",
            "game",
            "match",
            "movie",
            "film",
            "song",
            "book",
            "company",
            "store",
            "shop",
            "hotel",
            "country",
            "city",
            "county",
            "state",
            "team",
            "individual",
            "subject",
            "participant",
            "respondent",
            "account",
            "loan",
            "applicant",
            "worker",
            "staff",
            "deal",
            "invoice",
            "ticket",
            "shipment",
            "model",
            "animal",
            "specimen",
            "day",
            "week",
            "month",
            "year",
            "date",
            "time",
            "thing",
            "one",
            "entity",
            "product",
            "item",
            "unit",
            "abalone",
            "flight",
            "trip",
            "ride",
            "visit",
            "visitor",
            "guest",
            "booking",
            "reservation",
            "listing",
            "region",
            "department",
            "school",
            "hospital",
            "station",
            "site",
            "location",
            "place",
            "area",
            "district",
            "borrower",
            "buyer",
            "seller",
            "vendor",
            "supplier",
            "artist",
            "author",
            "athlete",
            "batter",
            "pitcher",
            "driver",
            "reading",
            "measurement",
            "event");

    static final Map<String, Integer> MONTHS = months();

    private static final Map<String, List<Phrase>> PHRASES_BY_FIRST_WORD = phrases();

    /** A cue phrase. */
    record Phrase(Cue cue, List<String> words) {}

    private Vocabulary() {}

    /** The cue phrases starting with this word, longest first. */
    static List<Phrase> phrasesStartingWith(String word) {
        return PHRASES_BY_FIRST_WORD.getOrDefault(word, List.of());
    }

    /** Cues of one word close in spelling to {@code word} ("avrage", "corelation"). */
    static List<Cue> closeCues(String word) {
        List<Cue> found = new ArrayList<>();
        for (List<Phrase> list : PHRASES_BY_FIRST_WORD.values()) {
            for (Phrase p : list) {
                if (p.words().size() == 1
                        && p.words().get(0).length() >= 5
                        && Words.close(p.words().get(0), word)
                        && !found.contains(p.cue())) {
                    found.add(p.cue());
                }
            }
        }
        return found;
    }

    static boolean filler(String stem) {
        return FILLER.contains(stem);
    }

    private static Map<String, List<Phrase>> phrases() {
        Map<String, List<Phrase>> map = new HashMap<>();
        for (Cue cue : Cue.values()) {
            for (List<String> words : cue.phrases()) {
                map.computeIfAbsent(words.get(0), w -> new ArrayList<>()).add(new Phrase(cue, words));
            }
        }
        map.values()
                .forEach(
                        list -> list.sort((a, b) -> b.words().size() - a.words().size()));
        return map;
    }

    private static Map<String, Integer> months() {
        String[][] names = {
            {"january", "jan"},
            {"february", "feb"},
            {"march", "mar"},
            {"april", "apr"},
            {"may"},
            {"june", "jun"},
            {"july", "jul"},
            {"august", "aug"},
            {"september", "sep", "sept"},
            {"october", "oct"},
            {"november", "nov"},
            {"december", "dec"}
        };
        Map<String, Integer> months = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            for (String name : names[i]) {
                months.put(name, i + 1);
            }
        }
        return Map.copyOf(months);
    }

    private static Set<String> singulars(String... words) {
        return Stream.of(words).map(Words::fold).map(Words::singular).collect(Collectors.toUnmodifiableSet());
    }
}
