package io.llmanalytics.sandbox;

import io.quarkus.logging.Log;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running worker supervisor (a Python process) and the threads that talk to it: frames are read and written on
 * dedicated threads, never on the caller's (event-loop) thread, and its stderr is logged line by line, bounded.
 */
final class SupervisorProcess {

    /** What the connection hears from the process. */
    interface Listener {
        void onFrame(SupervisorProcess process, Frame frame);

        void onExit(SupervisorProcess process, String reason);
    }

    private static final int MAX_LOG_LINE = 2000;

    private final Process process;
    private final Listener listener;
    private final int maxFrame;
    private final OutputStream stdin;
    private final ExecutorService writer;
    private final AtomicBoolean exited = new AtomicBoolean();
    private volatile String problem;

    private SupervisorProcess(Process process, Listener listener, int maxFrame) {
        this.process = process;
        this.listener = listener;
        this.maxFrame = maxFrame;
        this.stdin = process.getOutputStream();
        this.writer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
                .daemon()
                .name("sandbox-writer-" + process.pid())
                .unstarted(r));
    }

    /** Starts {@code command} in {@code directory} with exactly {@code environment}. */
    static SupervisorProcess start(
            List<String> command, Map<String, String> environment, Path directory, int maxFrame, Listener listener)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        SupervisorProcess supervisor = new SupervisorProcess(builder.start(), listener, maxFrame);
        supervisor.startThreads();
        return supervisor;
    }

    private void startThreads() {
        Thread.ofPlatform().daemon().name("sandbox-reader-" + pid()).start(this::readFrames);
        Thread.ofPlatform().daemon().name("sandbox-stderr-" + pid()).start(this::logErrors);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return !exited.get() && process.isAlive();
    }

    /** Queues a frame for the process; a failed write ends the process. */
    void send(byte[] frame) {
        try {
            writer.execute(() -> {
                try {
                    stdin.write(frame);
                    stdin.flush();
                } catch (IOException e) {
                    kill("writing to the worker failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            Log.debugf("worker %d is gone; frame dropped", pid());
        }
    }

    /** Ends the process at once; {@code reason} is reported to the listener. */
    void kill(String reason) {
        if (problem == null) {
            problem = reason;
        }
        process.destroyForcibly();
    }

    /** Asks the process to stop (end of its input), then kills it after {@code grace}. */
    void stop(long graceMillis) {
        problem = "stopped";
        writer.shutdown();
        try {
            writer.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
            stdin.close();
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void readFrames() {
        String reason;
        try (InputStream in = new BufferedInputStream(process.getInputStream(), 1 << 16)) {
            while (true) {
                Frame frame = FrameCodec.read(in, maxFrame);
                if (frame == null) {
                    reason = "its output ended";
                    break;
                }
                try {
                    listener.onFrame(this, frame);
                } catch (RuntimeException e) {
                    Log.errorf(e, "handling a frame of worker %d failed", pid());
                }
            }
        } catch (ProtocolException e) {
            reason = "it sent a malformed message (" + e.getMessage() + ")";
        } catch (IOException e) {
            reason = "reading from it failed (" + e.getMessage() + ")";
        }
        if (problem == null) {
            problem = reason;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
        if (exited.compareAndSet(false, true)) {
            String how = exitDescription();
            listener.onExit(this, "stopped".equals(problem) ? "stopped" : problem + "; " + how);
        }
    }

    private String exitDescription() {
        int code = process.exitValue();
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    private void logErrors() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String bounded = line.length() > MAX_LOG_LINE ? line.substring(0, MAX_LOG_LINE) + "..." : line;
                if (line.startsWith("supervisor:") || line.startsWith("zygote")) {
                    Log.warnf("worker %d: %s", pid(), bounded);
                } else {
                    Log.debugf("worker %d: %s", pid(), bounded);
                }
            }
        } catch (IOException e) {
            Log.debugf("worker %d stderr closed: %s", pid(), e.getMessage());
        }
    }
}
