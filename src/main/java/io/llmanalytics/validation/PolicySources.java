package io.llmanalytics.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy as shipped in the resources: the checker ({@code validation/policy.py}), the modules it imports (its rule
 * families, {@code validation/policy_*.py}, and the worker's parser of the import allow-list, {@code worker/policy.py}
 * as the module {@code import_policy}), its data
 * ({@code validation/rules.json}, {@code validation/module-attributes.txt}) and the import allow-list shared with the
 * worker ({@code policy/allowed-modules.txt}).
 */
public record PolicySources(
        String policyPy, List<PythonModule> modules, String rulesJson, String allowedModules, String moduleAttributes) {

    public static final String POLICY = "validation/policy.py";
    public static final String RULES = "validation/rules.json";
    public static final String MODULE_ATTRIBUTES = "validation/module-attributes.txt";
    public static final String ALLOWED_MODULES = ImportAllowList.RESOURCE;
    /** The worker's parser of the import allow-list, loaded into GraalPy as the module {@code import_policy}. */
    public static final String IMPORT_POLICY = "worker/policy.py";

    /**
     * The modules {@code policy.py} imports, by module name: listed here (a class path cannot be listed in a native
     * image), each found by its name in the context's {@code sys.meta_path} (see {@code PolicyContext}).
     */
    static final List<String> POLICY_MODULES = List.of(
            "policy_common",
            "policy_data",
            "policy_imports",
            "policy_names",
            "policy_patterns",
            "policy_strings",
            "policy_attributes",
            "policy_calls",
            "policy_evaluated",
            "policy_source");

    public static final String WARM_UP = "validation/warm-up.py";

    /** Reads the files from the class path. */
    public static PolicySources load() {
        List<PythonModule> modules = new ArrayList<>();
        modules.add(new PythonModule("import_policy", IMPORT_POLICY, resource(IMPORT_POLICY)));
        for (String name : POLICY_MODULES) {
            String path = "validation/" + name + ".py";
            modules.add(new PythonModule(name, path, resource(path)));
        }
        return new PolicySources(
                resource(POLICY),
                List.copyOf(modules),
                resource(RULES),
                resource(ALLOWED_MODULES),
                resource(MODULE_ATTRIBUTES));
    }

    static String resource(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = PolicySources.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /** The rules, allow-list and namespace as data, without running any Python. */
    public PolicyDescription describe(int maxCodeLength) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(rulesJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + RULES, e);
        }
        List<PolicyRule> rules = new ArrayList<>();
        root.path("rules")
                .forEach(rule -> rules.add(new PolicyRule(
                        rule.path("id").asText(), rule.path("summary").asText())));
        Map<String, String> namespace = new LinkedHashMap<>();
        root.path("namespace")
                .path("modules")
                .properties()
                .forEach(entry -> namespace.put(entry.getKey(), entry.getValue().asText()));
        List<String> modules = ImportAllowList.parse(allowedModules);
        return new PolicyDescription(rules, modules, namespace, maxCodeLength);
    }
}
