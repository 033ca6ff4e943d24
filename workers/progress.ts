// Sweep progress on stderr, with rate and ETA: a cli-progress bar when stderr is a terminal,
// else (logs, cluster jobs) one plain line every PLAIN_EVERY_MS. cli-progress is imported only
// for terminals. The rate counts this run's points only, so a resumed sweep's ETA is honest.

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export const PLAIN_EVERY_MS = 5_000;

function seconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export async function makeProgress(total: number, initial: number, label: string, stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  const t0 = Date.now();
  const rate = (done: number) => (done - initial) / Math.max(1e-3, (Date.now() - t0) / 1000);
  if (stream.isTTY) {
    const { default: cliProgress } = await import("cli-progress");
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} points | {rate} points/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
        noTTYOutput: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, initial, { rate: "…" });
    return {
      update: (done) => bar.update(done, { rate: Math.round(rate(done)).toLocaleString("en-US") }),
      stop: () => bar.stop(),
    };
  }
  let last = t0;
  return {
    update(done) {
      const now = Date.now();
      if (now - last < PLAIN_EVERY_MS || done >= total) return;
      last = now;
      const r = rate(done);
      stream.write(
        `${label}: ${done}/${total} points (${((100 * done) / total).toFixed(1)}%), ${Math.round(r)} points/s, ETA ${seconds((total - done) / r)}\n`,
      );
    },
    stop() {},
  };
}
