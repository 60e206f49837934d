import "server-only";

const running = globalThis as unknown as { switchboardJobs?: Map<string, ReturnType<typeof setInterval>> };

/**
 * Runs `job` every `intervalMs` in this process, for the time-based work every instance does
 * (ending due takeovers and transfers, retrying webhooks). The jobs make their changes with
 * conditional updates, so any number of instances may run them at once. A pass that is still
 * running when the next is due is skipped rather than stacked; a failed pass is logged and the
 * next one runs as usual. Starting a job that already runs (a hot reload) does nothing.
 */
export function startPeriodicJob(name: string, intervalMs: number, job: () => Promise<unknown>) {
  const jobs = (running.switchboardJobs ??= new Map());
  if (jobs.has(name)) return;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    job()
      .catch((error: unknown) => console.error(`${name} failed:`, error))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  // A background job alone must not keep the process alive.
  timer.unref();
  jobs.set(name, timer);
}
