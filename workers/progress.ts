// Sweep progress on stderr, with rate and ETA: a cli-progress bar when stderr is a terminal,
// else (logs, cluster jobs) one plain line every PLAIN_EVERY_MS. cli-progress is imported only
// for terminals. The rate counts this run's points only, so a resumed sweep's ETA is honest.
// Counts get their thousands separators from `thousands` (limits.ts), not toLocaleString: the
// first line of a long sweep loaded ICU's locale data, and the 10,000,000-point sweep's memory
// grew by ~5 MB midway (the node binary's pages of that data), to 104 MB with 2 workers.

import { thousands } from "../engine/scenario/limits.js";

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export const PLAIN_EVERY_MS = 5_000;

/** A duration as people read it: "42 s", "17 min", "2.3 h" (an ETA; lpe validate's estimate). */
export function durationText(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The speed as people read it: "1,234 points/s", or "2.5 s/point" below one point a second
 *  ("0 points/s" was shown for points of seconds each, a reviewer's). */
export function rateText(pointsPerSecond: number): string {
  if (!(pointsPerSecond > 0) || !Number.isFinite(pointsPerSecond)) return "…";
  if (pointsPerSecond >= 1) return `${thousands(Math.round(pointsPerSecond))} points/s`;
  const s = 1 / pointsPerSecond;
  return `${s < 10 ? s.toFixed(1) : thousands(Math.round(s))} s/point`;
}

export async function makeProgress(total: number, initial: number, label: string, stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  const t0 = Date.now();
  const rate = (done: number) => (done - initial) / Math.max(1e-3, (Date.now() - t0) / 1000);
  if (stream.isTTY) {
    const { default: cliProgress } = await import("cli-progress");
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} points | {rate} | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
        noTTYOutput: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, initial, { rate: "…" });
    return {
      update: (done) => bar.update(done, { rate: rateText(rate(done)) }),
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
        `${label}: ${done}/${total} points (${((100 * done) / total).toFixed(1)}%), ${rateText(r)}, ETA ${durationText((total - done) / r)}\n`,
      );
    },
    stop() {},
  };
}
