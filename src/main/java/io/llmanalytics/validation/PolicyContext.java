package io.llmanalytics.validation;

import io.quarkus.logging.Log;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One GraalPy context with the policy loaded. The context can reach nothing outside itself: no files, no host
 * classes, no native code, no threads, no processes, no environment, no output (GraalPy's {@code CONSTRAINED}
 * sandbox policy checks that the builder says so). Used by one thread at a time.
 */
final class PolicyContext implements AutoCloseable {

    static final String LANGUAGE = "python";

    /** No host access at all, not even mappings of mutable host types (the CONSTRAINED policy insists). */
    private static final HostAccess NO_HOST_ACCESS =
            HostAccess.newBuilder(HostAccess.NONE).allowMutableTargetMappings().build();

    private final Context context;
    private final Value check;
    private final ScheduledExecutorService watchdog;
    private final Duration timeout;
    private volatile boolean broken;

    private PolicyContext(Context context, Value check, ScheduledExecutorService watchdog, Duration timeout) {
        this.context = context;
        this.check = check;
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    /** The shared engine: it caches the parsed standard library and policy across contexts. */
    static Engine newEngine() {
        return Engine.newBuilder(LANGUAGE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    static PolicyContext create(
            Engine engine,
            PolicySources sources,
            Source policy,
            int maxCodeLength,
            ScheduledExecutorService watchdog,
            Duration timeout) {
        Context context = Context.newBuilder(LANGUAGE)
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .in(InputStream.nullInputStream())
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .allowIO(IOAccess.NONE)
                .allowHostAccess(NO_HOST_ACCESS)
                .allowHostClassLookup(name -> false)
                .allowNativeAccess(false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .build();
        try {
            context.eval(MODULE_FINDER);
            Value register = context.getBindings(LANGUAGE).getMember("_register_module");
            for (PythonModule module : sources.modules()) {
                register.execute(module.name(), module.path(), module.source());
            }
            context.eval(policy);
            Value bindings = context.getBindings(LANGUAGE);
            bindings.getMember("configure")
                    .execute(sources.rulesJson(), sources.allowedModules(), sources.moduleAttributes(), maxCodeLength);
            return new PolicyContext(context, bindings.getMember("check"), watchdog, timeout);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * The context has no file system: the policy's modules come from the class path through a finder on
     * {@code sys.meta_path}, so that {@code import policy_data} in {@code policy.py} imports a real module.
     */
    private static final Source MODULE_FINDER =
            Source.newBuilder(LANGUAGE, """
                    import importlib.util
                    import sys


                    class _ClassPathModules:
                        # finds and loads the modules registered from the class path (name -> path, source)

                        def __init__(self):
                            self.sources = {}

                        def find_spec(self, name, path=None, target=None):
                            if name not in self.sources:
                                return None
                            return importlib.util.spec_from_loader(name, self, origin=self.sources[name][0])

                        def create_module(self, spec):
                            return None

                        def exec_module(self, module):
                            path, source = self.sources[module.__name__]
                            module.__file__ = path
                            exec(compile(source, path, "exec"), module.__dict__)


                    _class_path_modules = _ClassPathModules()
                    sys.meta_path.insert(0, _class_path_modules)


                    def _register_module(name, path, source):
                        _class_path_modules.sources[name] = (path, source)
                    """, "module-finder.py").cached(true).buildLiteral();

    static Source policySource(PolicySources sources) {
        return Source.newBuilder(LANGUAGE, sources.policyPy(), "policy.py")
                .cached(true)
                .buildLiteral();
    }

    /**
     * Checks one piece of code. A check that runs past the timeout is interrupted and reported as
     * {@code code-too-complex}; a failure of the policy itself is reported as {@code validator-error} (the code is
     * refused, never accepted by accident).
     */
    List<Violation> check(String code) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> alarm =
                watchdog.schedule(() -> interrupt(timedOut), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return toViolations(check.execute(code));
        } catch (PolyglotException e) {
            if (timedOut.get() || e.isInterrupted()) {
                return List.of(new Violation(
                        "code-too-complex",
                        "The code took longer than " + timeout.toMillis()
                                + " ms to check: split it into simpler statements.",
                        1,
                        1));
            }
            if (e.isCancelled() || e.isInternalError() || e.isExit()) {
                broken = true;
            }
            if (e.isResourceExhausted()) {
                return List.of(new Violation(
                        "code-too-complex",
                        "The code is nested too deeply to be checked: split it into simpler statements.",
                        1,
                        1));
            }
            // the message can quote names from the checked code: only at DEBUG
            Log.warn("The validation policy failed on a piece of code: the code is refused");
            Log.debugf("The validation policy failed: %s", e.getMessage());
            return List.of(new Violation(
                    "validator-error",
                    "The validator could not check this code; rewrite it in simpler, plainer Python.",
                    1,
                    1));
        } finally {
            alarm.cancel(false);
        }
    }

    private void interrupt(AtomicBoolean timedOut) {
        timedOut.set(true);
        try {
            context.interrupt(Duration.ofSeconds(1));
        } catch (TimeoutException | RuntimeException e) {
            Log.warnf("A validation check could not be interrupted (%s); closing its context", e.getMessage());
            broken = true;
            context.close(true);
        }
    }

    private static List<Violation> toViolations(Value result) {
        long size = result.getArraySize();
        if (size == 0) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>((int) size);
        for (long i = 0; i < size; i++) {
            Value item = result.getArrayElement(i);
            violations.add(new Violation(
                    item.getArrayElement(0).asString(),
                    item.getArrayElement(1).asString(),
                    item.getArrayElement(2).asInt(),
                    item.getArrayElement(3).asInt()));
        }
        return violations;
    }

    /** Whether this context must be replaced (it was cancelled or failed inside GraalPy). */
    boolean broken() {
        return broken;
    }

    @Override
    public void close() {
        try {
            context.close(true);
        } catch (RuntimeException e) {
            Log.debugf("Closing a validation context: %s", e.getMessage());
        }
    }
}
