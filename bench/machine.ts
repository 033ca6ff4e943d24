// The machine a benchmark ran on, for results.md: CPU model, cores, memory, load, and the
// versions of node, python, numpy and scipy (the peer's stack).

import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  loadAverage: string;
  node: string;
  python: string;
  numpy: string;
  scipy: string;
  date: string;
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return "unavailable";
  }
}

export function machineInfo(): MachineInfo {
  const versions = quiet("python3", ["-c", "import numpy, scipy; print(numpy.__version__, scipy.__version__)"]).split(" ");
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => x.toFixed(2)).join(", "),
    node: process.version,
    python: quiet("python3", ["--version"]).replace(/^Python /, ""),
    numpy: versions[0] ?? "unavailable",
    scipy: versions[1] ?? "unavailable",
    date: new Date().toISOString(),
  };
}
