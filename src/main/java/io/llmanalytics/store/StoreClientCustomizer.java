package io.llmanalytics.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import io.quarkus.mongodb.runtime.MongoClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Points the Quarkus MongoDB client at {@code MONGODB_URL}, or at the embedded server when none is configured. */
@ApplicationScoped
public class StoreClientCustomizer implements MongoClientCustomizer {

    private final StoreConfig config;
    private final EmbeddedMongoServer embedded;

    public StoreClientCustomizer(StoreConfig config, EmbeddedMongoServer embedded) {
        this.config = config;
        this.embedded = embedded;
    }

    @Override
    public MongoClientSettings.Builder customize(MongoClientSettings.Builder builder) {
        ConnectionString url = config.url().map(ConnectionString::new).orElse(null);
        if (url != null) {
            builder.applyConnectionString(url);
        } else {
            InetSocketAddress address = embedded.address();
            builder.applyToClusterSettings(
                    c -> c.hosts(List.of(new ServerAddress(address.getHostString(), address.getPort()))));
        }
        StoreConfig.Pool pool = config.pool();
        builder.applyToConnectionPoolSettings(p -> {
            if (url == null || url.getMinConnectionPoolSize() == null) {
                p.minSize(Math.min(pool.minSize(), pool.maxSize()));
            }
            if (url == null || url.getMaxConnectionPoolSize() == null) {
                p.maxSize(pool.maxSize());
            }
            if (url == null || url.getMaxConnecting() == null) {
                p.maxConnecting(pool.maxConnecting());
            }
        });
        long timeoutMs = config.timeout().toMillis();
        return builder.applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutMs, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout((int) timeoutMs, TimeUnit.MILLISECONDS)
                        .readTimeout((int) timeoutMs, TimeUnit.MILLISECONDS));
    }

    /** A description of the store for health reports, without credentials. */
    public String describe() {
        if (config.url().isPresent()) {
            ConnectionString cs = new ConnectionString(config.url().get());
            return "mongodb " + String.join(",", cs.getHosts());
        }
        return "embedded " + config.embedded().backend().name().toLowerCase();
    }
}
