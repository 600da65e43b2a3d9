package io.llmanalytics.testing.faults;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Runs a MongoDB-wire-compatible store outside the service, behind a {@link TcpProxy}, and points the service at the
 * proxy through {@code MONGODB_URL} (the same path as a real external MongoDB). Tests cut and restore the proxy to
 * make the store unreachable; inject it with {@link InjectStoreProxy}.
 */
public class FlakyStoreResource implements QuarkusTestResourceLifecycleManager {

    private MongoServer server;
    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        try {
            proxy = new TcpProxy(address.getHostString(), address.getPort());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "store.url", "mongodb://127.0.0.1:" + proxy.port() + "/?retryWrites=false", "store.timeout", "2s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                proxy, new TestInjector.AnnotatedAndMatchesType(InjectStoreProxy.class, TcpProxy.class));
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (Exception ignored) {
            // best effort
        }
        server.shutdownNow();
    }
}
