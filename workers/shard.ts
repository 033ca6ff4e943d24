// Deterministic slices of a sweep for running it on several machines (`--shard I/N`): shard I
// of N gets the contiguous block of grid indices [⌊(I−1)·size/N⌋, ⌊I·size/N⌋), so the N blocks
// cover the grid exactly once in grid order and `lpe merge` only has to put them end to end.

import { InputError } from "../engine/errors.js";

export interface ShardSlice {
  /** 1-based */
  index: number;
  count: number;
  start: number;
  end: number;
}

/** "I/N" → {index, count}; `N` alone (as for --emit-slurm) gives index 0. */
export function parseShard(text: string, where = "--shard", allowCountOnly = false): { index: number; count: number } {
  const s = String(text).trim();
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (m) {
    const index = Number(m[1]);
    const count = Number(m[2]);
    if (count < 1) throw new InputError(where, `the number of shards must be at least 1, got "${s}"`);
    if (index < 1 || index > count) throw new InputError(where, `shard index must be between 1 and ${count}, got "${s}"`);
    return { index, count };
  }
  if (allowCountOnly && /^\d+$/.test(s) && Number(s) >= 1) return { index: 0, count: Number(s) };
  throw new InputError(where, `expected I/N (e.g. 2/8: the 2nd of 8 slices), got "${s}"`);
}

export function shardSlice(size: number, index: number, count: number): ShardSlice {
  return { index, count, start: Math.floor(((index - 1) * size) / count), end: Math.floor((index * size) / count) };
}

export function shardDirName(index: number, count: number): string {
  return `shard-${index}-of-${count}`;
}

const SHARD_DIR = /^shard-(\d+)-of-(\d+)$/;

/** {index, count} of a shard folder name, or undefined. */
export function parseShardDirName(name: string): { index: number; count: number } | undefined {
  const m = SHARD_DIR.exec(name);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  // (shard-4-of-3 is no shard --shard can write: merge advised running `--shard 4/3`, a reviewer's)
  return index >= 1 && index <= count ? { index, count } : undefined;
}
