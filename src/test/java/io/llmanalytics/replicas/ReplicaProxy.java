package io.llmanalytics.replicas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small round-robin HTTP proxy in front of service instances, as a Kubernetes Service (or an ingress without
 * affinity) would be: each request goes to the next backend in the rotation; a backend that refuses the connection is
 * skipped (nothing was sent to it). Responses are streamed through as they arrive, flushed after every read, so
 * Server-Sent Events pass without buffering. Backends are taken out of and put back into the rotation by the test,
 * as readiness would. With {@code hashSession}, a request naming a session ({@code /api/session/{id}/...}) goes to
 * the backend its id hashes to, as the ingress' consistent hashing in {@code deploy/ingress} does (others round
 * robin). Runs standalone for {@code bench/replicas.sh}: {@code ReplicaProxy [--hash-session] PORT URL...}.
 */
public final class ReplicaProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection",
            "http2-settings");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<URI> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<URI, AtomicLong> served = new ConcurrentHashMap<>();
    private final boolean hashSession;
    private static final java.util.regex.Pattern SESSION = java.util.regex.Pattern.compile("^/api/session/([^/?]+)");

    private ReplicaProxy(HttpServer server, List<URI> backends, boolean hashSession) {
        this.server = server;
        this.backends.addAll(backends);
        this.hashSession = hashSession;
    }

    public static ReplicaProxy start(int port, List<URI> backends) throws IOException {
        return start(port, backends, false);
    }

    public static ReplicaProxy start(int port, List<URI> backends, boolean hashSession) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        ReplicaProxy proxy = new ReplicaProxy(server, backends, hashSession);
        server.setExecutor(proxy.executor);
        server.createContext("/", proxy::handle);
        server.start();
        return proxy;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Takes a backend out of the rotation (its readiness went down). */
    public void remove(URI backend) {
        backends.remove(backend);
    }

    /** Puts a backend (back) into the rotation. */
    public void add(URI backend) {
        if (!backends.contains(backend)) {
            backends.add(backend);
        }
    }

    /** Requests forwarded to {@code backend} so far. */
    public long served(URI backend) {
        AtomicLong n = served.get(backend);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<URI> rotation = List.copyOf(backends);
            int first = Math.floorMod(next.getAndIncrement(), Math.max(1, rotation.size()));
            java.util.regex.Matcher session =
                    SESSION.matcher(exchange.getRequestURI().getRawPath());
            if (hashSession && session.find() && !session.group(1).equals("create")) {
                first = Math.floorMod(session.group(1).hashCode(), Math.max(1, rotation.size()));
            }
            for (int i = 0; i < rotation.size(); i++) {
                URI backend = rotation.get((first + i) % rotation.size());
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request(exchange, backend, body), HttpResponse.BodyHandlers.ofInputStream());
                } catch (ConnectException refused) {
                    continue; // nothing reached it: the next one
                } catch (IOException e) {
                    if (e.getCause() instanceof ConnectException) {
                        continue;
                    }
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                served.computeIfAbsent(backend, b -> new AtomicLong()).incrementAndGet();
                relay(exchange, backend, response);
                return;
            }
            byte[] problem = "{\"title\":\"No backend\",\"status\":502}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(502, problem.length);
            exchange.getResponseBody().write(problem);
        }
    }

    private static HttpRequest request(HttpExchange exchange, URI backend, byte[] body) {
        URI target = backend.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(Duration.ofMinutes(5))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    private static void relay(HttpExchange exchange, URI backend, HttpResponse<InputStream> response)
            throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        exchange.getResponseHeaders().add("X-Replica", backend.getAuthority());
        long length = response.headers().firstValueAsLong("content-length").orElse(-1);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.statusCode(), head || length == 0 ? -1 : length > 0 ? length : 0);
        try (InputStream in = response.body();
                OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush(); // an SSE event reaches the client as soon as the backend sent it
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }

    /** {@code ReplicaProxy PORT BACKEND_URL...}: runs until killed. */
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean hash = rest.remove("--hash-session");
        List<URI> backends = new ArrayList<>();
        for (int i = 1; i < rest.size(); i++) {
            backends.add(URI.create(rest.get(i)));
        }
        ReplicaProxy proxy = start(Integer.parseInt(rest.get(0)), backends, hash);
        System.out.println(
                "proxy listening on " + proxy.base() + " -> " + backends + (hash ? " (session hashing)" : ""));
        Thread.currentThread().join();
    }
}
