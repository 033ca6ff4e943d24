// A SLURM job-array script for a sweep (`lpe sweep FILE --emit-slurm [--shard N]`): task I of
// the array runs shard I/N with as many workers as SLURM gives it CPUs, with --resume so a
// requeued or restarted task continues where it stopped. Run through `bash`, the same script
// submits itself as the array and then the merge as a job that starts only when every array
// task has succeeded (--dependency=afterok), which is the usual SLURM way to chain them.

export interface SlurmOptions {
  /** scenario name (job name, folder) */
  name: string;
  /** absolute path of the scenario file */
  file: string;
  /** absolute --out folder */
  out: string;
  /** absolute package root (where `npx lpe` resolves) */
  root: string;
  shards: number;
  cpusPerTask: number;
  /** --set overrides to pass on */
  sets: string[];
}

/** POSIX-shell single quoting. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function slurmScript(o: SlurmOptions): string {
  const dir = `${o.out}/${o.name}`;
  const sets = o.sets.map((s) => ` --set ${shQuote(s)}`).join("");
  const q = shQuote;
  return `#!/bin/bash
# lpe sweep of ${o.name} as a SLURM job array of ${o.shards} shards, then a merge.
#
#   bash ${dir}/sweep.slurm     submits the array and the dependent merge job (recommended)
#   sbatch ${dir}/sweep.slurm   submits the array only; merge afterwards with
#                               npx lpe merge ${dir}
#
# Each array task runs one deterministic slice of the grid into ${dir}/shard-I-of-${o.shards}/.
# Tasks use --resume: a requeued or restarted task finishes its slice without redoing points.
# Edit the #SBATCH lines (time, memory, partition, account) for your cluster.
#SBATCH --job-name=lpe-${o.name}
#SBATCH --array=1-${o.shards}
#SBATCH --cpus-per-task=${o.cpusPerTask}
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --output=${dir}/slurm-%A_%a.out

set -euo pipefail
cd ${q(o.root)}

if [ -z "\${SLURM_ARRAY_TASK_ID:-}" ]; then
  # not inside SLURM: submit the array, then the merge once every task has succeeded
  jid=$(sbatch --parsable "$0")
  jid=\${jid%%;*}
  sbatch --job-name=lpe-${o.name}-merge --dependency=afterok:"$jid" --output=${q(dir)}/slurm-merge-%j.out \\
    --wrap="cd ${q(o.root)} && npx lpe merge ${q(dir)}"
  echo "submitted array job $jid (${o.shards} shards) and its merge"
  exit 0
fi

npx lpe sweep ${q(o.file)} --out ${q(o.out)}${sets} --shard "$SLURM_ARRAY_TASK_ID/${o.shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --resume
`;
}
