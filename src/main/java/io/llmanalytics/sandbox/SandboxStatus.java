package io.llmanalytics.sandbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The worker's state at a glance.
 *
 * @param enabled whether the worker is configured to run
 * @param ready whether a supervisor is running and ready
 * @param pid the supervisor's process id (null unless ready)
 * @param python the worker's Python version (null unless ready)
 * @param pandas the worker's pandas version (null unless ready)
 * @param confinement what the worker's self-test proved about confining analysis code (null unless ready)
 * @param allowUnconfined whether the unsafe development setting sandbox.allow-unconfined is on
 * @param cachedSessions sessions whose datasets the worker holds
 * @param cachedBytes memory those datasets take in the worker
 * @param running executions running now
 * @param queued executions waiting for a slot
 * @param slots executions that may run at once
 * @param queueSize executions that may wait
 * @param standbyReady whether a standby worker process is ready to take over
 * @param restarts restarts of the supervisor since the service started
 * @param lastProblem why the supervisor last stopped or failed to start (null when none since it became ready)
 */
@RegisterForReflection
public record SandboxStatus(
        boolean enabled,
        boolean ready,
        Long pid,
        String python,
        String pandas,
        Confinement confinement,
        boolean allowUnconfined,
        int cachedSessions,
        long cachedBytes,
        int running,
        int queued,
        int slots,
        int queueSize,
        boolean standbyReady,
        long restarts,
        String lastProblem) {}
