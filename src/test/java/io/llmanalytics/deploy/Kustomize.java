package io.llmanalytics.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kubectl from the machine or Debian's kubernetes-client,
 * which bin/test installs when no kubectl is on the PATH; {@code KUBECTL} names another) and parses the objects.
 */
final class Kustomize {

    private Kustomize() {}

    /** The rendered objects of a kustomization directory. */
    static Rendered render(Path directory) {
        List<String> command = List.of(kubectl(), "kustomize", directory.toString());
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + err);
            }
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> docs =
                    new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                        objects.add(doc);
                    }
                }
            }
            return new Rendered(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new AssertionError("kubectl is not installed: bin/test installs Debian's "
                        + "kubernetes-client when no kubectl is on the PATH; or set KUBECTL"));
    }

    /** The objects of one rendering. */
    record Rendered(List<JsonNode> objects) {

        List<JsonNode> ofKind(String kind) {
            return objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()))
                    .toList();
        }

        JsonNode one(String kind, String name) {
            return find(o -> kind.equals(o.path("kind").asText())
                            && name.equals(o.path("metadata").path("name").asText()))
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
        }

        java.util.Optional<JsonNode> find(Predicate<JsonNode> p) {
            return objects.stream().filter(p).findFirst();
        }

        List<String> names() {
            return objects.stream()
                    .map(o -> o.path("kind").asText() + "/"
                            + o.path("metadata").path("name").asText())
                    .toList();
        }
    }
}
