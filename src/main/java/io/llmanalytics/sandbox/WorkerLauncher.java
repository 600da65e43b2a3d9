package io.llmanalytics.sandbox;

import io.llmanalytics.sandbox.WorkerRequest.Configure;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts the real worker: {@code python3 -I -B supervisor.py} from the installed worker files, with exactly the
 * environment it needs (one BLAS thread, matplotlib's Agg backend), and sends its {@code configure} request first.
 */
final class WorkerLauncher implements WorkerConnection.Launcher {

    private final SandboxSettings settings;
    private final WorkerFiles files;
    private final String allowedModules;

    WorkerLauncher(SandboxSettings settings, WorkerFiles files, String allowedModules) {
        this.settings = settings;
        this.files = files;
        this.allowedModules = allowedModules;
    }

    @Override
    public SupervisorProcess launch(SupervisorProcess.Listener listener) throws IOException {
        Map<String, String> environment = Map.of(
                "PATH", "/usr/bin:/bin",
                "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8",
                "HOME", files.directory().toString(),
                "OPENBLAS_NUM_THREADS", "1",
                "OMP_NUM_THREADS", "1",
                "MKL_NUM_THREADS", "1",
                "MPLBACKEND", "Agg",
                "MPLCONFIGDIR", files.matplotlibCache().toString());
        SupervisorProcess process = SupervisorProcess.start(
                List.of(settings.python(), "-I", "-B", files.supervisor().toString()),
                environment,
                files.directory(),
                WorkerConnection.MAX_FRAME,
                listener);
        process.send(WorkerProtocol.encode(configure()));
        return process;
    }

    Configure configure() {
        return new Configure(
                allowedModules,
                settings.memoryBudget(),
                settings.idleTimeout().toMillis() / 1000.0,
                settings.allowUnconfined(),
                settings.landlockTestOff() ? "off" : "auto");
    }
}
