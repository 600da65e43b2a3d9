package io.llmanalytics.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.access.Caller;
import io.llmanalytics.access.Callers;
import io.llmanalytics.access.Route;
import io.llmanalytics.access.RouteProblems;
import io.llmanalytics.access.StorageQuota;
import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.upload.ArrivingFile;
import io.llmanalytics.upload.IngestPhase;
import io.llmanalytics.upload.IngestTimings;
import io.llmanalytics.upload.SessionIntake;
import io.llmanalytics.upload.UploadConfig;
import io.llmanalytics.upload.UploadReceiveClock;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates a session from an upload while it arrives ({@code POST /api/session/create}, multipart/form-data): the
 * body is read as it streams in ({@link MultipartBody}, on a worker thread), the part named
 * {@code file} is written to a temporary file as its bytes come, and the ingest reads that file at the same time
 * ({@link ArrivingFile}), so receiving and parsing overlap instead of following each other. Runs after the access
 * gate and the upload limits (which authenticate the caller, count the upload and bound the body); answers as
 * {@link SessionResource#create} documents: 201 with the session, or a problem. A request of another content type
 * goes on to the resources (JSON creates a session from a source; anything else gets its 415), and so does an upload
 * beyond {@link UploadConfig#streamingReceives()} at once: the resource reads it whole, then parses it.
 */
@ApplicationScoped
public class SessionUploadRoute {

    static final String FIELD = "file";
    /**
     * How long the body may send nothing before the upload is given up: longer than the pace check's window, which
     * cuts off a stalled upload first (408).
     */
    static final Duration STALL = Duration.ofSeconds(60);

    private static final int COPY_BUFFER = 256 * 1024;

    private final SessionIntake intake;
    private final StorageQuota quota;
    private final ObjectMapper json;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();
    /** Uploads being received on a worker thread ({@link UploadConfig#streamingReceives()}). */
    private final Semaphore receives;

    private final int slots;

    private final LongAdder streamed = new LongAdder();

    public SessionUploadRoute(SessionIntake intake, StorageQuota quota, UploadConfig config, ObjectMapper json) {
        this.intake = intake;
        this.quota = quota;
        this.json = json;
        this.slots = config.streamingReceives();
        this.receives = new Semaphore(slots);
    }

    void route(@Observes Router router) {
        router.post(Route.CREATE_SESSION.vertxPath())
                .order(Integer.MIN_VALUE + 2)
                .handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                || !receives.tryAcquire()) {
            ctx.next(); // the resources: a JSON source, a 415, or an upload read first and parsed after
            return;
        }
        RequestIds.of(ctx);
        ctx.request().pause();
        streamed.increment();
        Caller caller = Callers.of(ctx);
        try {
            blocking.execute(() -> {
                try {
                    receive(ctx, caller, type);
                } finally {
                    receives.release();
                }
            });
        } catch (RuntimeException e) {
            receives.release();
            throw e;
        }
    }

    /** Uploads whose bodies worker threads are reading now. */
    int receiving() {
        return slots - receives.availablePermits();
    }

    /** Uploads taken by this route so far (the others went to the resource). */
    long streamed() {
        return streamed.sum();
    }

    /** Reads the body on this worker thread; the session is built from the file part while it is read. */
    private void receive(RoutingContext ctx, Caller caller, String contentType) {
        Path path;
        try {
            path = intake.uploadFile();
        } catch (IOException e) {
            Log.errorf(e, "No temporary file for an upload");
            reply(ctx, Problem.of(ProblemType.INTERNAL, "The upload could not be received; try again."));
            return;
        }
        ArrivingFile arriving = new ArrivingFile(path, STALL);
        // taken over here, on the thread that reads it, while the request is still paused
        RequestBody body = new RequestBody(ctx.request(), STALL);
        // answered before the file was whole (the upload limits' 413, a cut-off connection, a refused file): the ingest
        // stops at once, and with it goes the file; this thread's read of the body stops too, not left until the stall
        ctx.addEndHandler(ended -> {
            if (!arriving.isComplete()) {
                String why = "the request ended before its file had arrived";
                arriving.fail(why);
                body.abort(new IOException(why));
            }
        });
        receive(ctx, caller, contentType, path, arriving, body);
    }

    private void receive(
            RoutingContext ctx,
            Caller caller,
            String contentType,
            Path path,
            ArrivingFile arriving,
            RequestBody request) {
        IngestTimings timings = new IngestTimings();
        boolean started = false;
        try (InputStream body = request) {
            MultipartBody parts = new MultipartBody(contentType, body);
            MultipartBody.Part part;
            while ((part = parts.next()) != null) {
                if (started || !part.isFile() || !FIELD.equals(part.fieldName())) {
                    continue; // only the first file part named 'file' is the table; the others are skipped unread
                }
                String fileName = part.checkedFileName(); // refused (a NUL in it, say) before anything has started
                String declaredType = part.contentType();
                started = true;
                intake.create(
                                arriving,
                                fileName,
                                declaredType,
                                caller.owner(),
                                timings,
                                bytes -> quota.admit(caller, bytes))
                        .eventually(
                                () -> Uni.createFrom().item(() -> delete(path)).runSubscriptionOn(blocking))
                        .subscribe()
                        .with(doc -> created(ctx, doc, timings), e -> reply(ctx, e));
                copy(part, arriving);
                timings.record(IngestPhase.RECEIVE, UploadReceiveClock.receivedNanos(ctx));
                arriving.complete();
            }
            if (!started) {
                delete(path);
                reply(ctx, Problem.of(ProblemType.BAD_REQUEST, SessionResource.MISSING_FILE));
            }
        } catch (IOException | RuntimeException e) {
            if (started) {
                arriving.fail("the upload was cut off: " + e.getMessage()); // the ingest fails, and answers
            } else {
                delete(path);
                reply(
                        ctx,
                        Problem.of(
                                ProblemType.BAD_REQUEST,
                                "The multipart body could not be read ("
                                        + Objects.requireNonNullElse(
                                                e.getMessage(), e.getClass().getSimpleName())
                                        + "). "
                                        + SessionResource.MISSING_FILE));
            }
        }
    }

    /** Writes the part to the arriving file, saying how far after each write. */
    private static void copy(MultipartBody.Part part, ArrivingFile arriving) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        try (InputStream in = part.body();
                OutputStream out = Files.newOutputStream(arriving.path())) {
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, read);
                arriving.arrived(read);
            }
        }
    }

    private Void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            Log.warnf("Upload file %s not deleted: %s", path, e.getMessage());
        }
        return null;
    }

    private void created(RoutingContext ctx, SessionDocument doc, IngestTimings timings) {
        String body;
        try {
            body = json.writeValueAsString(SessionCreatedResponse.of(doc));
        } catch (JsonProcessingException e) {
            reply(ctx, e);
            return;
        }
        ctx.response()
                .setStatusCode(201)
                .putHeader(HttpHeaders.LOCATION, "/api/session/" + doc.id)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(SessionResource.SERVER_TIMING, timings.serverTiming())
                .end(body);
    }

    private void reply(RoutingContext ctx, Throwable failure) {
        ProblemException answer = ProblemFailures.answer(failure, ctx.normalizedPath());
        reply(ctx, answer.problem(), answer.retryAfter());
    }

    private void reply(RoutingContext ctx, Problem problem) {
        reply(ctx, problem, Optional.empty());
    }

    private void reply(RoutingContext ctx, Problem problem, Optional<Duration> retryAfter) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            RouteProblems.send(ctx, json, problem, retryAfter, null);
        }
    }
}
