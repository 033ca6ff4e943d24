// A SLURM job-array script for a sweep (`lpe sweep FILE --emit-slurm [--shard N]`): task I of
// the array runs shard I/N with as many workers as SLURM gives it CPUs, with --resume so a
// requeued or restarted task continues where it stopped. Run through `bash`, the same script
// submits itself as the array and then the merge as a job that starts only when every array
// task has succeeded (--dependency=afterok), which is the usual SLURM way to chain them.
// Every value put into the script is quoted for whoever reads it: the shell (single quotes,
// also for the command that `--wrap` hands to sh later, quoted once more as a whole), sbatch's
// own reading of #SBATCH lines (backslash escapes, `%%` for a literal % in file patterns). A
// path holding a line break or another control character is refused: it could end a comment
// line and start a command.

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

/** An argument of an #SBATCH line as sbatch reads it: a backslash escapes the next character, quotes group, an unescaped # starts a comment. */
export function sbatchLineArg(s: string): string {
  return s.replace(/[\\\s'"#]/g, (c) => `\\${c}`);
}

/** A literal path in a SLURM file name pattern (--output), where % starts a placeholder. */
export function slurmPatternLiteral(s: string): string {
  return s.replace(/%/g, "%%");
}

/** Which of `values` holds a control character (line break, tab, …), which no line of the script may carry. */
export function unsafeForScript(values: Record<string, string>): string | undefined {
  return Object.keys(values).find((k) => /[\u0000-\u001f\u007f]/.test(values[k]));
}

/** The values slurmScript interpolates, by the option they come from. */
export function scriptValues(o: SlurmOptions): Record<string, string> {
  return { "--out": o.out, file: o.file, "package root": o.root, name: o.name, ...Object.fromEntries(o.sets.map((s) => ["--set", s])) };
}

export function slurmScript(o: SlurmOptions): string {
  const bad = unsafeForScript(scriptValues(o));
  if (bad) throw new Error(`slurmScript: ${bad} holds a control character`);
  const dir = `${o.out}/${o.name}`;
  const sets = o.sets.map((s) => ` --set ${shQuote(s)}`).join("");
  const q = shQuote;
  // the merge job's command: sh runs it later, so it is quoted once for that sh, then as a whole
  const mergeCommand = `cd ${q(o.root)} && npx lpe merge ${q(dir)}`;
  return `#!/bin/bash
# lpe sweep of ${o.name} as a SLURM job array of ${o.shards} shards, then a merge.
#
#   bash ${q(`${dir}/sweep.slurm`)}     submits the array and the dependent merge job (recommended)
#   sbatch ${q(`${dir}/sweep.slurm`)}   submits the array only; merge afterwards with
#                               npx lpe merge ${q(dir)}
#
# Each array task runs one deterministic slice of the grid into ${q(dir)}/shard-I-of-${o.shards}/.
# Tasks use --resume: a requeued or restarted task finishes its slice without redoing points.
# Edit the #SBATCH lines (time, memory, partition, account) for your cluster.
#SBATCH --job-name=lpe-${sbatchLineArg(o.name)}
#SBATCH --array=1-${o.shards}
#SBATCH --cpus-per-task=${o.cpusPerTask}
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --output=${sbatchLineArg(slurmPatternLiteral(dir))}/slurm-%A_%a.out

set -euo pipefail
cd ${q(o.root)}

if [ -z "\${SLURM_ARRAY_TASK_ID:-}" ]; then
  # not inside SLURM: submit the array, then the merge once every task has succeeded
  jid=$(sbatch --parsable "$0")
  jid=\${jid%%;*}
  sbatch --job-name=${q(`lpe-${o.name}-merge`)} --dependency=afterok:"$jid" --output=${q(`${slurmPatternLiteral(dir)}/slurm-merge-%j.out`)} \\
    --wrap=${q(mergeCommand)}
  echo "submitted array job $jid (${o.shards} shards) and its merge"
  exit 0
fi

npx lpe sweep ${q(o.file)} --out ${q(o.out)}${sets} --shard "$SLURM_ARRAY_TASK_ID/${o.shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --resume
`;
}
