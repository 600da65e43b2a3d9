package io.llmanalytics.analyst;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Python code in a model's answer: markdown fences and prose removed, whatever the model wrapped around it.
 *
 * <ul>
 * <li>Fenced blocks ({@code ```} or {@code ~~~}, closed or cut off at the end): blocks tagged with another language
 * ({@code text}, {@code bash}, {@code json}, output...) and blocks that do not look like code are set aside; among
 * the rest the one that assigns {@code result} wins, then the last one. When the winner uses variables that only
 * earlier Python blocks define, the Python blocks are joined in order.</li>
 * <li>No fence: the longest run of lines that look like Python (assignments, imports, calls, control flow, comments,
 * indented continuations) is taken, so explanations before and after are dropped.</li>
 * </ul>
 * The result is dedented and trimmed; empty when the answer holds no code.
 */
public final class CodeExtractor {

    private static final Pattern FENCE_OPEN = Pattern.compile("^[ \\t]*(`{3,}|~{3,})[ \\t]*([\\w+#.-]*)[^\\n]*$");
    // Python identifiers may be any letters (größe = ..., ｒｅｓｕｌｔ): a line using them is code, never dropped as
    // prose
    private static final int UNICODE = Pattern.UNICODE_CHARACTER_CLASS;
    private static final Pattern ASSIGNS_RESULT =
            Pattern.compile("(?m)^\\s*result\\s*(\\[[^\\]]*\\]\\s*)?(=|\\+=)(?!=)", UNICODE);
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^\\s*[\\p{L}_][\\w.]*(\\[[^\\]]*\\])*(\\s*,\\s*[\\p{L}_][\\w.]*)*\\s*([-+*/%|&]|//|\\*\\*)?=(?!=).*",
            UNICODE);
    private static final Pattern DEFINED = Pattern.compile("(?m)^\\s*([\\p{L}_]\\w*)\\s*(=|\\+=)(?!=)", UNICODE);
    private static final Pattern STATEMENT = Pattern.compile(
            "^\\s*(import\\s+\\w|from\\s+[\\w.]+\\s+import\\s|for\\s.+:|while\\s.+:|if\\s.+:|elif\\s.+:|else\\s*:|try\\s*:"
                    + "|except\\b.*:|finally\\s*:|with\\s.+:|def\\s+\\w+\\s*\\(|class\\s+\\w+|return\\b|print\\s*\\(|pass$"
                    + "|break$|continue$|raise\\b|assert\\b|del\\s|global\\s|nonlocal\\s|lambda\\b|yield\\b"
                    + "|match\\s.+:|case\\s.+:|@[\\p{L}_][\\w.]*)",
            UNICODE);
    private static final Pattern EXPRESSION =
            Pattern.compile("^\\s*(df|dfs|pd|np|plt|result|sns|math|statistics)\\b[\\w.\\[\\]'\"]*[.(\\[].*", UNICODE);
    private static final Pattern CALL = Pattern.compile("^\\s*[\\p{L}_][\\w.]*\\s*\\(.*\\)\\s*$", UNICODE);
    private static final Pattern READING = Pattern.compile("^\\s*#+\\s*reading\\s*:(.*)$", Pattern.CASE_INSENSITIVE);
    private static final int READING_LINES = 5;
    private static final Pattern CLARIFICATION_KEY = Pattern.compile("\"clarification\"\\s*:");
    private static final Pattern INLINE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Set<String> CODE_TAGS =
            Set.of("", "python", "py", "python3", "py3", "pandas", "ipython", "code");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JSON_TAGS = Set.of("", "json", "json5", "javascript", "js");

    private CodeExtractor() {}

    /** A clarification block the model sent that is not a well-formed clarification: {@code reason} says why. */
    public static final class MalformedClarification extends RuntimeException {
        MalformedClarification(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The clarifying question the model asked instead of code, as the code-generation prompt asks for it: a JSON
     * object {@code {"clarification": {"question": "...", "options": ["...", ...]}}} in a {@code json} (or untagged)
     * fence, or as the whole answer. Empty when the answer holds none; throws {@link MalformedClarification} when it
     * holds one that is not well formed ({@link Clarification#of}: 2 to 5 options, bounded text), so that it is
     * treated as a model error and never shown as it came.
     */
    public static Optional<Clarification> clarification(String answer) {
        if (answer == null || answer.isBlank()) {
            return Optional.empty();
        }
        String text = answer.replace("\r\n", "\n").replace('\r', '\n');
        List<String> candidates = new ArrayList<>();
        for (Block b : fencedBlocks(text)) {
            if (JSON_TAGS.contains(b.tag()) && b.body().strip().startsWith("{")) {
                candidates.add(b.body());
            }
        }
        if (candidates.isEmpty() && text.strip().startsWith("{")) {
            candidates.add(text);
        }
        for (String candidate : candidates) {
            if (!CLARIFICATION_KEY.matcher(candidate).find()) {
                continue;
            }
            JsonNode root;
            try {
                root = JSON.readTree(candidate);
            } catch (JsonProcessingException e) {
                throw new MalformedClarification("its clarification is not valid JSON");
            }
            JsonNode c = root == null ? null : root.get("clarification");
            if (c == null || !c.isObject()) {
                throw new MalformedClarification("its clarification is not an object");
            }
            JsonNode question = c.get("question");
            JsonNode options = c.get("options");
            if (question == null || !question.isTextual() || options == null || !options.isArray()) {
                throw new MalformedClarification("its clarification needs a text 'question' and a list of 'options'");
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode o : options) {
                if (!o.isTextual()) {
                    throw new MalformedClarification("an option of its clarification is not text");
                }
                texts.add(o.asText());
            }
            return Optional.of(Clarification.of(question.asText(), texts)
                    .orElseThrow(() -> new MalformedClarification("its clarification must have a question of at most "
                            + Clarification.MAX_QUESTION + " characters and " + Clarification.MIN_OPTIONS + " to "
                            + Clarification.MAX_OPTIONS + " distinct options of at most " + Clarification.MAX_OPTION
                            + " characters (it had " + texts.size() + " options)")));
        }
        return Optional.empty();
    }

    public static String extract(String answer) {
        if (answer == null || answer.isBlank()) {
            return "";
        }
        String text = answer.replace("\r\n", "\n").replace('\r', '\n');
        List<Block> blocks = fencedBlocks(text);
        if (!blocks.isEmpty()) {
            String chosen = choose(blocks);
            if (chosen != null) {
                return finish(chosen);
            }
        }
        String code = finish(unfenced(text));
        return code.isEmpty() ? finish(inlineSpan(text)) : code;
    }

    /**
     * The model's one-line statement of what its code computes: the text of a {@code # Reading: ...} comment among
     * the code's first lines (as the code-generation prompt asks); null when there is none.
     */
    public static String reading(String code) {
        if (code == null) {
            return null;
        }
        int lines = 0;
        for (String line : code.split("\n", -1)) {
            if (lines++ >= READING_LINES) {
                break;
            }
            Matcher m = READING.matcher(line);
            if (m.matches()) {
                String text = m.group(1).strip();
                return text.isEmpty() ? null : text;
            }
        }
        return null;
    }

    /** The last inline {@code `code`} span that assigns {@code result}, for one-line answers written in prose. */
    private static String inlineSpan(String text) {
        Matcher m = INLINE_SPAN.matcher(text);
        String found = "";
        while (m.find()) {
            if (ASSIGNS_RESULT.matcher(m.group(1)).find()) {
                found = m.group(1);
            }
        }
        return found;
    }

    private record Block(String tag, String body) {}

    private static List<Block> fencedBlocks(String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            Matcher open = FENCE_OPEN.matcher(lines[i]);
            if (!open.matches()) {
                i++;
                continue;
            }
            String fence = open.group(1);
            String tag = open.group(2).toLowerCase(Locale.ROOT);
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !isClosing(lines[j], fence)) {
                body.append(lines[j]).append('\n');
                j++;
            }
            blocks.add(new Block(tag, body.toString()));
            i = j + 1;
        }
        return blocks;
    }

    private static boolean isClosing(String line, String fence) {
        String t = line.strip();
        return t.length() >= fence.length() && t.chars().allMatch(c -> c == fence.charAt(0));
    }

    private static String choose(List<Block> blocks) {
        List<Block> candidates = blocks.stream()
                .filter(b -> CODE_TAGS.contains(b.tag()) && !b.body().isBlank() && codeShare(b.body()) >= 0.5)
                .toList();
        if (candidates.isEmpty()) {
            return null;
        }
        Block best = null;
        for (Block b : candidates) {
            if (best == null || score(b) >= score(best)) {
                best = b;
            }
        }
        List<Block> python = candidates;
        int index = python.indexOf(best);
        if (index > 0 && usesEarlierDefinitions(best, python.subList(0, index))) {
            StringBuilder joined = new StringBuilder();
            for (Block b : python.subList(0, index + 1)) {
                joined.append(dedent(b.body()).strip()).append("\n\n");
            }
            return joined.toString();
        }
        return best.body();
    }

    private static int score(Block b) {
        int score = 0;
        if (ASSIGNS_RESULT.matcher(b.body()).find()) {
            score += 4;
        }
        if (b.tag().startsWith("py")) {
            score += 1;
        }
        return score;
    }

    private static boolean usesEarlierDefinitions(Block best, List<Block> earlier) {
        Set<String> own = definitions(best.body());
        for (Block b : earlier) {
            for (String name : definitions(b.body())) {
                if (!own.contains(name)
                        && Pattern.compile("\\b" + Pattern.quote(name) + "\\b")
                                .matcher(best.body())
                                .find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> definitions(String code) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = DEFINED.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        names.remove("df");
        names.remove("dfs");
        return names;
    }

    /** The share of non-blank lines that look like code. */
    private static double codeShare(String body) {
        int total = 0;
        int code = 0;
        boolean continuation = false;
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            total++;
            boolean isCode = looksLikeCode(line, continuation);
            if (isCode) {
                code++;
            }
            continuation = isCode && opensContinuation(line);
        }
        return total == 0 ? 0 : (double) code / total;
    }

    private static String unfenced(String text) {
        String[] lines = text.split("\n", -1);
        int bestStart = -1;
        int bestEnd = -1;
        int bestCount = 0;
        int start = -1;
        int lastCode = -1;
        int count = 0;
        boolean continuation = false;
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? stripInlineTicks(lines[i]) : null;
            boolean blank = line != null && line.isBlank();
            boolean code = line != null
                    && !blank
                    && (looksLikeCode(line, continuation) || (start >= 0 && isIndented(line) && !isProse(line)));
            if (code) {
                if (start < 0) {
                    start = i;
                    count = 0;
                }
                lastCode = i;
                count++;
                continuation = opensContinuation(line);
            } else if (!blank || i == lines.length) {
                if (start >= 0 && count > bestCount) {
                    bestStart = start;
                    bestEnd = lastCode;
                    bestCount = count;
                }
                start = -1;
                continuation = false;
            }
        }
        if (bestStart < 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = bestStart; i <= bestEnd; i++) {
            out.append(stripInlineTicks(lines[i])).append('\n');
        }
        return out.toString();
    }

    private static String stripInlineTicks(String line) {
        String t = line.strip();
        if (t.length() > 2 && t.startsWith("`") && t.endsWith("`") && t.indexOf('`', 1) == t.length() - 1) {
            return t.substring(1, t.length() - 1);
        }
        return line;
    }

    static boolean looksLikeCode(String line, boolean continuation) {
        String t = line.strip();
        if (t.isEmpty()) {
            return false;
        }
        if (continuation) {
            return true;
        }
        if (t.startsWith("#")) {
            return true;
        }
        if (t.startsWith(")") || t.startsWith("]") || t.startsWith("}") || t.startsWith(".")) {
            return true;
        }
        if (STATEMENT.matcher(t).find() || EXPRESSION.matcher(t).matches()) {
            return true;
        }
        if (ASSIGNMENT.matcher(t).matches()) {
            return !isProse(t) || t.contains("(") || t.contains("[") || t.contains("'") || t.contains("\"");
        }
        return CALL.matcher(t).matches() && !isProse(t);
    }

    private static boolean opensContinuation(String line) {
        String t = line.strip();
        if (t.startsWith("#")) {
            return false;
        }
        int depth = 0;
        for (char c : t.toCharArray()) {
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        return depth > 0 || t.endsWith("\\") || t.endsWith(",") || t.endsWith(":");
    }

    private static boolean isIndented(String line) {
        return line.startsWith(" ") || line.startsWith("\t");
    }

    /** A sentence: several words, mostly letters, ending like prose or starting with a capitalised word. */
    private static boolean isProse(String line) {
        String t = line.strip();
        String[] words = t.split("\\s+");
        if (words.length < 4) {
            return false;
        }
        long wordy = Arrays.stream(words)
                .filter(w -> w.matches("[\\p{L}'’,.;:!?()-]+"))
                .count();
        return wordy >= words.length * 0.7;
    }

    private static String finish(String code) {
        String dedented = dedent(code);
        List<String> lines = new ArrayList<>(List.of(dedented.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (!lines.isEmpty() && lines.get(0).strip().matches("(?i)python3?")) {
            lines.remove(0);
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.stripTrailing()).append('\n');
        }
        return out.toString().strip().isEmpty() ? "" : out.toString().stripTrailing() + "\n";
    }

    static String dedent(String code) {
        String[] lines = code.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int n = 0;
            while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
                n++;
            }
            indent = Math.min(indent, n);
        }
        if (indent == 0 || indent == Integer.MAX_VALUE) {
            return code;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            out.append(line.isBlank() ? "" : line.substring(Math.min(indent, line.length())));
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
