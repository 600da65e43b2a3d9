package io.llmanalytics.testing.faults;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback for fault injection: forwards to a target until {@link #cut()}, which drops every open
 * connection and refuses new ones, until {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;
    private final NetClient client;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    public TcpProxy(String targetHost, int targetPort) throws Exception {
        this.client = vertx.createNetClient();
        this.server = vertx.createNetServer().connectHandler(front -> {
            if (cut) {
                front.close();
                return;
            }
            front.pause();
            client.connect(targetPort, targetHost).onComplete(ar -> {
                if (ar.failed() || cut) {
                    front.close();
                    return;
                }
                NetSocket back = ar.result();
                open.add(front);
                open.add(back);
                front.handler(back::write);
                back.handler(front::write);
                front.closeHandler(v -> {
                    open.remove(front);
                    back.close();
                });
                back.closeHandler(v -> {
                    open.remove(back);
                    front.close();
                });
                front.resume();
            });
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** The dependency goes away: open connections are dropped, new ones refused. */
    public void cut() {
        cut = true;
        open.forEach(NetSocket::close);
    }

    /** The dependency is back. */
    public void restore() {
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    @Override
    public void close() throws Exception {
        cut();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
