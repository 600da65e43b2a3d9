package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicySourcesTest {

    @Test
    void describesRulesModulesAndNamespace() {
        PolicyDescription policy = PolicySources.load().describe(10_000);
        Set<String> ids = new HashSet<>();
        policy.rules().forEach(rule -> {
            assertTrue(ids.add(rule.id()), "duplicate rule " + rule.id());
            assertFalse(rule.summary().isBlank(), rule.id());
        });
        assertTrue(ids.containsAll(List.of(
                "syntax-error",
                "import-not-allowed",
                "forbidden-builtin",
                "dunder",
                "module-attribute",
                "file-access",
                "eval-expression",
                "result-missing")));
        assertTrue(policy.allowedModules().contains("pandas.*"));
        assertTrue(policy.allowedModules().contains("!pandas.io.*"));
        assertFalse(policy.allowedModules().stream().anyMatch(line -> line.startsWith("#")));
        assertEquals("pandas", policy.namespace().get("pd"));
        assertEquals(10_000, policy.maxCodeLength());
    }

    @Test
    void everyModuleOfTheSplitPolicyIsListedAndLoaded() throws IOException {
        Set<String> files;
        try (Stream<Path> paths = Files.list(Path.of("src", "main", "resources", "validation"))) {
            files = paths.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("policy_") && name.endsWith(".py"))
                    .map(name -> name.substring(0, name.length() - 3))
                    .collect(Collectors.toSet());
        }
        assertEquals(files, Set.copyOf(PolicySources.POLICY_MODULES));
        List<PythonModule> modules = PolicySources.load().modules();
        assertEquals("import_policy", modules.get(0).name());
        assertTrue(modules.get(0).source().contains("def parse_allow_list("));
        modules.forEach(module -> assertFalse(module.source().isBlank(), module.name()));
    }

    @Test
    void theImportListIsTheSharedFile() {
        // the worker reads policy/allowed-modules.txt too: the validator keeps no copy of its own
        String shared = PolicySources.resource(PolicySources.ALLOWED_MODULES);
        assertEquals(shared, PolicySources.load().allowedModules());
        assertTrue(shared.lines().anyMatch("io"::equals), "io (for io.StringIO) is importable");
    }

    @Test
    void missingResourceIsAClearError() {
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> PolicySources.resource("validation/nope.txt"));
        assertTrue(error.getMessage().contains("validation/nope.txt"));
    }
}
