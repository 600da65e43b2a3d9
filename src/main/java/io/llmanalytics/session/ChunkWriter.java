package io.llmanalytics.session;

import io.smallrye.mutiny.subscription.UniEmitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Writes a GridFS download to a file, asking for a few chunks at a time so that every database reply stays small.
 * Writes to a local file are short; they happen on the driver's thread, never on an event loop.
 */
final class ChunkWriter implements Subscriber<ByteBuffer> {

    private final FileChannel channel;
    private final Path target;
    private final UniEmitter<? super Path> emitter;
    private final int demand;
    private Subscription subscription;
    private int outstanding;

    ChunkWriter(FileChannel channel, Path target, UniEmitter<? super Path> emitter, int demand) {
        this.channel = channel;
        this.target = target;
        this.emitter = emitter;
        this.demand = demand;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        emitter.onTermination(s::cancel);
        outstanding = demand;
        s.request(demand);
    }

    @Override
    public void onNext(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            subscription.cancel();
            onError(e);
            return;
        }
        if (--outstanding == 0) {
            outstanding = demand;
            subscription.request(demand);
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
        emitter.fail(t);
    }

    @Override
    public void onComplete() {
        close();
        emitter.complete(target);
    }

    private void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
