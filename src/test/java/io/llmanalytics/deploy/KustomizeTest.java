package io.llmanalytics.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests as {@code kubectl kustomize} renders the dev and prod overlays: what is deployed, its
 * security context, probes, settings, secrets, network policy, scaling and disruption budget.
 */
class KustomizeTest {

    static final String APP = "llm-analytics";
    static final Set<String> SECRETS = Set.of("OPENAI_API_KEY", "MONGODB_URL");

    static Kustomize.Rendered dev;
    static Kustomize.Rendered prod;
    static ServiceSettings settings;

    @BeforeAll
    static void render() {
        dev = Kustomize.render(Repository.path("deploy/overlays/dev"));
        prod = Kustomize.render(Repository.path("deploy/overlays/prod"));
        settings = ServiceSettings.load();
    }

    static Kustomize.Rendered overlay(String name) {
        return name.equals("dev") ? dev : prod;
    }

    static JsonNode deployment(Kustomize.Rendered r) {
        return r.one("Deployment", APP);
    }

    static JsonNode podSpec(Kustomize.Rendered r) {
        return deployment(r).path("spec").path("template").path("spec");
    }

    static JsonNode container(Kustomize.Rendered r) {
        JsonNode containers = podSpec(r).path("containers");
        assertEquals(1, containers.size(), "one container: the service");
        return containers.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPartIsThere(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        for (String kind : List.of(
                "Deployment",
                "Service",
                "ServiceAccount",
                "HorizontalPodAutoscaler",
                "PodDisruptionBudget",
                "NetworkPolicy")) {
            r.one(kind, APP);
        }
        assertEquals(1, r.ofKind("ConfigMap").size(), r.names().toString());
        assertTrue(r.ofKind("Secret").isEmpty(), "no Secret is rendered: it is created by the operator");
        JsonNode service = r.one("Service", APP);
        assertTrue(matches(service.path("spec").path("selector"), podLabels(r)), "the Service selects the pods");
        assertEquals(
                "http",
                service.path("spec").path("ports").get(0).path("targetPort").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsRunLockedDown(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        lockedDown(podSpec(r), overlay + " service pod");
        JsonNode pod = podSpec(r);
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "no API token in the pod");
        JsonNode account =
                r.one("ServiceAccount", pod.path("serviceAccountName").asText());
        assertFalse(account.path("automountServiceAccountToken").asBoolean(true));
        assertFalse(pod.has("hostNetwork") || pod.has("hostPID") || pod.has("hostIPC"));
    }

    /** Pod and container security context: non-root, read-only root, no privilege escalation, no capabilities. */
    static void lockedDown(JsonNode pod, String what) {
        JsonNode podContext = pod.path("securityContext");
        assertTrue(podContext.path("runAsNonRoot").asBoolean(), what + ": runAsNonRoot");
        assertTrue(podContext.path("runAsUser").asInt(0) > 0, what + ": a non-root uid");
        assertEquals(
                "RuntimeDefault", podContext.path("seccompProfile").path("type").asText(), what);
        for (JsonNode c : pod.path("containers")) {
            JsonNode sc = c.path("securityContext");
            String name = what + " container " + c.path("name").asText();
            assertTrue(sc.path("runAsNonRoot").asBoolean(), name + ": runAsNonRoot");
            assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name + ": allowPrivilegeEscalation");
            assertFalse(sc.path("privileged").asBoolean(false), name + ": privileged");
            assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name + ": readOnlyRootFilesystem");
            assertEquals(List.of("ALL"), texts(sc.path("capabilities").path("drop")), name + ": capabilities");
            assertTrue(sc.path("capabilities").path("add").isMissingNode(), name + ": no capability added");
            assertEquals(
                    "RuntimeDefault", sc.path("seccompProfile").path("type").asText(), name);
            assertTrue(c.path("resources").path("limits").has("memory"), name + ": memory limit");
            assertTrue(c.path("resources").path("requests").has("memory"), name + ": memory request");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void temporaryFilesGoToAnEmptyDirAtTheImagesTempDir(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        JsonNode c = container(r);
        Map<String, String> mounts = new LinkedHashMap<>();
        c.path("volumeMounts")
                .forEach(m ->
                        mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        assertEquals(Set.of("/tmp"), mounts.keySet(), "the only writable place is /tmp");
        JsonNode volume = volume(podSpec(r), mounts.get("/tmp"));
        assertTrue(volume.has("emptyDir"), "/tmp is an emptyDir");
        assertTrue(volume.path("emptyDir").has("sizeLimit"), "with a size limit");
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            List<String> entrypoint = Dockerfiles.parse(dockerfile).finalStage().entrypoint();
            assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"), dockerfile + ": java.io.tmpdir is /tmp");
            assertTrue(
                    entrypoint.stream().anyMatch(a -> a.startsWith("-Dpolyglot.engine.userResourceCache=/tmp/")),
                    dockerfile + ": GraalPy unpacks its files under /tmp, not in ~/.cache");
        }
        String uploads = Repository.property("quarkus.http.body.uploads-directory", null);
        assertTrue(
                uploads == null || uploads.startsWith("${java.io.tmpdir}"),
                "uploads go to java.io.tmpdir (Quarkus' default) unless configured there");
        assertEquals(null, Repository.property("upload.work-dir", null), "ingest work files: java.io.tmpdir");
    }

    static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesUseQuarkusHealthOnTheHttpPort(String overlay) {
        JsonNode c = container(overlay(overlay));
        assertEquals(
                "/q/health/live",
                c.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals(
                "/q/health/ready",
                c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(
                "/q/health/live",
                c.path("startupProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals("http", c.path(probe).path("httpGet").path("port").asText(), probe);
        }
        JsonNode port = c.path("ports").get(0);
        assertEquals("http", port.path("name").asText());
        assertEquals(8080, port.path("containerPort").asInt());
        assertEquals("${PORT:8080}", Repository.property("quarkus.http.port", null), "the service listens on 8080");
        int startup = c.path("startupProbe").path("periodSeconds").asInt()
                * c.path("startupProbe").path("failureThreshold").asInt();
        assertTrue(startup >= 120, "the startup probe allows the GraalPy warm-up and worker start: " + startup + " s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableIsASettingOfTheService(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        JsonNode c = container(r);
        Map<String, String> unknown = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        c.path("env").forEach(e -> names.add(e.path("name").asText()));
        for (JsonNode from : c.path("envFrom")) {
            if (from.has("secretRef")) {
                // the operator's database sources (SOURCES_<NAME>_*, names the operator chooses), never rendered
                assertEquals(
                        "llm-analytics-sources",
                        from.path("secretRef").path("name").asText(),
                        from.toString());
                assertTrue(from.path("secretRef").path("optional").asBoolean(), "a cluster without sources starts");
                continue;
            }
            assertTrue(from.has("configMapRef"), "settings come from the ConfigMap: " + from);
            JsonNode map =
                    r.one("ConfigMap", from.path("configMapRef").path("name").asText());
            map.path("data").fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            if (settings.source(name).isEmpty()) {
                unknown.put(name, "not in .env, application.properties, a @ConfigMapping or Quarkus' run-time config");
            }
        }
        assertEquals(Map.of(), unknown);
        assertTrue(
                names.containsAll(settings.dotEnv()),
                "every .env setting is set: missing "
                        + new TreeSet<>(settings.dotEnv())
                                .stream().filter(n -> !names.contains(n)).toList());
    }

    @Test
    void theSettingsFileIsDotEnvWithoutItsSecrets() {
        Map<String, String> env = new LinkedHashMap<>(Repository.envFile(".env"));
        assertTrue(env.keySet().containsAll(SECRETS), ".env documents the secrets (empty)");
        SECRETS.forEach(env::remove);
        assertEquals(
                env,
                Repository.envFile("deploy/base/settings.env"),
                "deploy/base/settings.env must equal .env without OPENAI_API_KEY and MONGODB_URL (same names, same "
                        + "defaults); change deployed values in an overlay");
    }

    @Test
    void settingsSizedForThePodAreServiceSettings() {
        assertTrue(
                settings.serviceMappingNames().contains("SANDBOX_MEMORY_BUDGET"),
                settings.serviceMappingNames().toString());
        assertTrue(settings.quarkusNames().contains("QUARKUS_HTTP_PORT"));
        assertFalse(settings.quarkusNames().contains("QUARKUS_SHUTDOWN_DELAY_ENABLED"), "build-time: not settable");
        assertTrue(settings.source("NOT_A_SETTING_OF_ANYTHING").isEmpty());
        assertEquals("SANDBOX_MEMORY_BUDGET", ServiceSettings.environmentName("sandbox.memory-budget"));
        assertEquals("max-chart-size", ServiceSettings.kebab("maxChartSize"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void secretsOnlyByReference(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        JsonNode c = container(r);
        Map<String, JsonNode> env = new LinkedHashMap<>();
        c.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        JsonNode key = env.get("OPENAI_API_KEY");
        assertNotNull(key, "OPENAI_API_KEY is passed");
        assertFalse(key.has("value"), "OPENAI_API_KEY has no value in the manifests");
        assertEquals(
                "OPENAI_API_KEY",
                key.path("valueFrom").path("secretKeyRef").path("key").asText());
        JsonNode mongo = env.get("MONGODB_URL");
        if (overlay.equals("prod")) {
            assertFalse(mongo.has("value"), "MONGODB_URL (credentials) only from the Secret");
            JsonNode ref = mongo.path("valueFrom").path("secretKeyRef");
            assertEquals(
                    key.path("valueFrom").path("secretKeyRef").path("name").asText(),
                    ref.path("name").asText());
            assertFalse(ref.path("optional").asBoolean(false), "prod cannot start without its database");
        } else {
            URI url = URI.create(mongo.path("value").asText());
            assertEquals(null, url.getUserInfo(), "the dev MongoDB URL carries no credentials");
        }
        for (JsonNode map : r.ofKind("ConfigMap")) {
            map.path("data").fields().forEachRemaining(e -> {
                assertFalse(SECRETS.contains(e.getKey()), "a secret in a ConfigMap: " + e.getKey());
                // a count of tokens (PROMPT_SCHEMA_TOKENS) is a budget, not a secret
                assertFalse(
                        e.getKey().matches(".*(KEY|SECRET|PASSWORD|TOKEN(?!S)).*")
                                && !e.getValue().asText().isEmpty(),
                        "a secret-like setting with a value in a ConfigMap: " + e.getKey());
                assertFalse(
                        e.getValue().asText().matches(".*://[^/\\s]*:[^/\\s]*@.*"),
                        "credentials in a URL: " + e.getKey());
            });
        }
        String all = r.objects().toString();
        assertFalse(all.matches("(?s).*sk-[A-Za-z0-9_-]{16,}.*"), "an OpenAI key in the manifests");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPolicyAllowsOnlyHttpInAndDnsMongoLlmOut(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        JsonNode policy = r.one("NetworkPolicy", APP).path("spec");
        assertTrue(matches(policy.path("podSelector").path("matchLabels"), podLabels(r)), "it selects the pods");
        assertEquals(List.of("Ingress", "Egress"), texts(policy.path("policyTypes")));
        assertEquals(1, policy.path("ingress").size());
        JsonNode in = policy.path("ingress").get(0);
        assertEquals(List.of("8080/TCP"), ports(in), "ingress only to the HTTP port");
        Set<String> out = new HashSet<>();
        for (JsonNode rule : policy.path("egress")) {
            assertTrue(rule.has("to") && rule.path("to").size() > 0, "every egress rule names its peers: " + rule);
            List<String> ports = ports(rule);
            assertFalse(ports.isEmpty(), "every egress rule names its ports: " + rule);
            out.addAll(ports);
            if (ports.contains("53/UDP")) {
                assertEquals(
                        "kube-dns",
                        rule.path("to")
                                .get(0)
                                .path("podSelector")
                                .path("matchLabels")
                                .path("k8s-app")
                                .asText(),
                        "DNS goes to the cluster DNS only");
            } else if (ports.equals(List.of("443/TCP"))) {
                List<String> except =
                        texts(rule.path("to").get(0).path("ipBlock").path("except"));
                assertTrue(
                        except.containsAll(List.of("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")),
                        "the LLM rule excludes the metadata service and private ranges: " + except);
            } else if (ports.equals(List.of("27017/TCP"))) {
                JsonNode peer = rule.path("to").get(0);
                if (overlay.equals("dev")) {
                    JsonNode mongoPods = r.one("StatefulSet", "llm-analytics-mongodb")
                            .path("spec")
                            .path("template")
                            .path("metadata")
                            .path("labels");
                    assertTrue(
                            matches(peer.path("podSelector").path("matchLabels"), mongoPods),
                            "dev: MongoDB is the in-cluster pod");
                    assertFalse(peer.has("ipBlock"));
                } else {
                    assertTrue(
                            texts(peer.path("ipBlock").path("except")).contains("169.254.0.0/16"),
                            "prod: an external MongoDB, never the metadata service");
                }
            } else {
                fail("unexpected egress rule " + rule);
            }
        }
        assertEquals(Set.of("53/UDP", "53/TCP", "27017/TCP", "443/TCP"), out);
    }

    static List<String> ports(JsonNode rule) {
        List<String> ports = new ArrayList<>();
        rule.path("ports")
                .forEach(p -> ports.add(
                        p.path("port").asText() + "/" + p.path("protocol").asText("TCP")));
        return ports;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void autoscalerAndDisruptionBudget(String overlay) {
        Kustomize.Rendered r = overlay(overlay);
        assertFalse(deployment(r).path("spec").has("replicas"), "the HorizontalPodAutoscaler owns the replica count");
        JsonNode hpa = r.one("HorizontalPodAutoscaler", APP).path("spec");
        assertEquals("Deployment", hpa.path("scaleTargetRef").path("kind").asText());
        assertEquals(APP, hpa.path("scaleTargetRef").path("name").asText());
        int min = hpa.path("minReplicas").asInt();
        assertTrue(min >= 1 && hpa.path("maxReplicas").asInt() > min);
        assertEquals(
                "cpu", hpa.path("metrics").get(0).path("resource").path("name").asText());
        JsonNode pdb = r.one("PodDisruptionBudget", APP).path("spec");
        assertTrue(matches(pdb.path("selector").path("matchLabels"), podLabels(r)), "the budget covers the pods");
        if (overlay.equals("prod")) {
            assertTrue(min >= 3, "prod runs several replicas");
            assertTrue(
                    pdb.path("minAvailable").asInt() >= 2
                            && pdb.path("minAvailable").asInt() < min,
                    "prod keeps at least two pods through disruptions, and nodes can still be drained");
            assertTrue(podSpec(r).path("topologySpreadConstraints").size() > 0, "replicas spread over nodes");
        } else {
            assertEquals(1, pdb.path("maxUnavailable").asInt(), "dev's single pod can be evicted");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void terminationGraceCoversTheShutdownDelayAndTimeout(String overlay) {
        Duration delay = DurationConverter.parseDuration(Repository.property("quarkus.shutdown.delay", "prod"));
        Duration timeout = DurationConverter.parseDuration(Repository.property("quarkus.shutdown.timeout", "prod"));
        assertEquals("true", Repository.property("quarkus.shutdown.delay-enabled", null));
        long grace =
                podSpec(overlay(overlay)).path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace > delay.plus(timeout).toSeconds(), "grace " + grace + " s > " + delay + " + " + timeout);
    }

    @Test
    void devRunsTheOfficialMongoImageOnAPersistentVolume() {
        JsonNode mongo = dev.one("StatefulSet", "llm-analytics-mongodb");
        JsonNode pod = mongo.path("spec").path("template").path("spec");
        JsonNode c = pod.path("containers").get(0);
        assertTrue(
                c.path("image").asText().matches("mongo:\\d+\\.\\d+\\.\\d+"),
                "official image, pinned: " + c.path("image").asText());
        JsonNode claim = mongo.path("spec").path("volumeClaimTemplates").get(0);
        assertTrue(claim.path("spec").path("resources").path("requests").has("storage"));
        boolean dataOnClaim = false;
        for (JsonNode m : c.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/data/db")) {
                dataOnClaim = m.path("name")
                        .asText()
                        .equals(claim.path("metadata").path("name").asText());
            }
        }
        assertTrue(dataOnClaim, "/data/db is on the PersistentVolumeClaim");
        lockedDown(pod, "mongodb pod");
        JsonNode service =
                dev.one("Service", mongo.path("spec").path("serviceName").asText());
        assertTrue(matches(
                service.path("spec").path("selector"),
                mongo.path("spec").path("template").path("metadata").path("labels")));
        String url = container(dev).path("env").findParents("name").stream()
                .filter(e -> e.path("name").asText().equals("MONGODB_URL"))
                .findFirst()
                .orElseThrow()
                .path("value")
                .asText();
        URI uri = URI.create(url);
        assertEquals(service.path("metadata").path("name").asText(), uri.getHost(), "the app uses that MongoDB");
        assertEquals(service.path("spec").path("ports").get(0).path("port").asInt(), uri.getPort());
        JsonNode policy = dev.one("NetworkPolicy", "llm-analytics-mongodb").path("spec");
        assertEquals(List.of("Ingress", "Egress"), texts(policy.path("policyTypes")));
        assertTrue(
                policy.path("egress").isMissingNode() || policy.path("egress").isEmpty(), "MongoDB reaches nothing");
        assertTrue(
                matches(
                        policy.path("ingress")
                                .get(0)
                                .path("from")
                                .get(0)
                                .path("podSelector")
                                .path("matchLabels"),
                        podLabels(dev)),
                "only the service's pods reach MongoDB");
    }

    @Test
    void prodUsesAnExternalMongoAndAPinnedImage() {
        assertTrue(prod.ofKind("StatefulSet").isEmpty(), "no database in the prod overlay");
        assertTrue(prod.ofKind("PersistentVolumeClaim").isEmpty());
        String image = container(prod).path("image").asText();
        assertTrue(
                image.matches(".+:\\d+\\.\\d+\\.\\d+(-[\\w.]+)?|.+@sha256:[0-9a-f]{64}"), "a released tag: " + image);
    }

    @Test
    void theOptionalGvisorPatchApplies(@TempDir Path copy) throws IOException {
        Path deploy = Repository.path("deploy");
        try (Stream<Path> files = Files.walk(deploy)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(deploy.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path kustomization = copy.resolve("overlays/prod/kustomization.yaml");
        String text = Files.readString(kustomization);
        assertTrue(text.contains("  # - gvisor.yaml"), "the prod overlay documents the optional patch");
        Files.writeString(kustomization, text.replace("  # - gvisor.yaml", "  - gvisor.yaml"));
        Kustomize.Rendered withGvisor = Kustomize.render(copy.resolve("overlays/prod"));
        assertEquals("gvisor", podSpec(withGvisor).path("runtimeClassName").asText());
        assertFalse(podSpec(prod).has("runtimeClassName"), "off by default: not every cluster has gVisor");
    }

    static JsonNode podLabels(Kustomize.Rendered r) {
        return deployment(r).path("spec").path("template").path("metadata").path("labels");
    }

    /** Whether every label of {@code selector} is on {@code labels} with the same value. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var fields = selector.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
