package io.llmanalytics.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small Dockerfile parser (hadolint is not packaged for Debian 12): logical lines (backslash continuations joined,
 * comments and blank lines dropped), instructions with their flags and arguments, stages. Unknown instructions, a
 * first instruction other than {@code FROM} or {@code ARG}, malformed JSON (exec) forms and flags without values are
 * parse errors.
 */
final class Dockerfiles {

    static final Set<String> INSTRUCTIONS = Set.of(
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL");

    private Dockerfiles() {}

    /** One instruction: its keyword, {@code --flag=value}s and the rest of the line. */
    record Instruction(int line, String keyword, Map<String, String> flags, String arguments) {

        /** The arguments of an exec form ({@code ["a", "b"]}), or whitespace-separated words otherwise. */
        List<String> words() {
            if (arguments.startsWith("[")) {
                try {
                    return List.of(new ObjectMapper().readValue(arguments, String[].class));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            "line " + line + ": " + keyword + " is not a JSON array: " + arguments, e);
                }
            }
            return List.of(arguments.trim().split("\\s+"));
        }

        boolean execForm() {
            return arguments.startsWith("[");
        }
    }

    /** A build stage: its base image, name and instructions after {@code FROM}. */
    record Stage(String image, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .toList();
        }

        /** The arguments of the last {@code ENTRYPOINT}, which must be in exec form. */
        List<String> entrypoint() {
            List<Instruction> entrypoints = all("ENTRYPOINT");
            if (entrypoints.isEmpty()) {
                throw new AssertionError("stage " + name + " has no ENTRYPOINT");
            }
            Instruction last = entrypoints.get(entrypoints.size() - 1);
            if (!last.execForm()) {
                throw new AssertionError("ENTRYPOINT is not in exec form (signals would not reach the service)");
            }
            return last.words();
        }

        /** The working directory after the stage's instructions, for resolving relative paths. */
        String workdir() {
            String dir = "/";
            for (Instruction i : all("WORKDIR")) {
                dir = i.arguments().startsWith("/") ? i.arguments() : dir + "/" + i.arguments();
            }
            return dir;
        }

        /** The text of every {@code RUN}, joined. */
        String runs() {
            return String.join(
                    "\n", all("RUN").stream().map(Instruction::arguments).toList());
        }
    }

    /** A parsed Dockerfile: its {@code ARG}s before the first stage and its stages. */
    record Dockerfile(String file, Map<String, String> globalArgs, List<Stage> stages) {

        Stage finalStage() {
            return stages.get(stages.size() - 1);
        }

        Stage stage(String name) {
            return stages.stream()
                    .filter(s -> name.equals(s.name()))
                    .findFirst()
                    .orElse(null);
        }
    }

    static Dockerfile parse(String relative) {
        return parse(relative, Repository.read(relative));
    }

    static Dockerfile parse(String file, String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        int start = 0;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String trimmed = line.strip();
            if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!logical.isEmpty() && trimmed.startsWith("#")) {
                continue;
            }
            if (logical.isEmpty()) {
                start = n + 1;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            instructions.add(instruction(file, start, logical.toString()));
            logical.setLength(0);
        }
        if (!logical.isEmpty()) {
            throw new IllegalArgumentException(file + ":" + start + ": the file ends inside a continued line");
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                List<String> words = i.words();
                String image = substitute(words.get(0), globalArgs);
                String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                if (words.size() != 1 && name == null) {
                    throw new IllegalArgumentException(file + ":" + i.line() + ": FROM image [AS name]");
                }
                current = new ArrayList<>();
                stages.add(new Stage(image, name, current));
            } else if (current == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(file + ":" + i.line() + ": " + i.keyword() + " before FROM");
                }
                String[] kv = i.arguments().split("=", 2);
                globalArgs.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else {
                current.add(i);
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(file + ": no FROM");
        }
        return new Dockerfile(file, globalArgs, stages);
    }

    private static Instruction instruction(String file, int line, String text) {
        String[] parts = text.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        if (!INSTRUCTIONS.contains(keyword)) {
            throw new IllegalArgumentException(file + ":" + line + ": unknown instruction " + parts[0]);
        }
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new IllegalArgumentException(file + ":" + line + ": " + keyword + " without arguments");
        }
        String rest = parts[1].strip();
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            String[] flag = rest.split("\\s+", 2);
            String[] kv = flag[0].substring(2).split("=", 2);
            if (kv.length != 2 || kv[1].isEmpty()) {
                throw new IllegalArgumentException(file + ":" + line + ": flag without a value: " + flag[0]);
            }
            flags.put(kv[0], kv[1]);
            rest = flag.length > 1 ? flag[1].strip() : "";
        }
        Instruction instruction = new Instruction(line, keyword, flags, rest);
        if (rest.startsWith("[")) {
            instruction.words();
        }
        return instruction;
    }

    private static String substitute(String image, Map<String, String> args) {
        String out = image;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            out = out.replace("${" + arg.getKey() + "}", arg.getValue()).replace("$" + arg.getKey(), arg.getValue());
        }
        return out;
    }
}
