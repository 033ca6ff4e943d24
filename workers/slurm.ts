// A SLURM job-array script for a sweep (`lpe sweep FILE --emit-slurm [--shard N]`). One file
// does everything, depending on how it runs:
//   bash sweep.slurm [SBATCH OPTIONS]        (anywhere, not in a job) submits this very file as
//       the array (tasks 1..N) and again as the merge (task 0) with --dependency=afterok on the
//       array and --kill-on-invalid-dep=yes, so a failed task cancels the merge instead of
//       leaving it pending forever; extra options (partition, account…) go to both;
//   bash sweep.slurm merge [SBATCH OPTIONS]  submits the merge alone, --dependency=singleton:
//       it starts once every earlier job of the same name (resubmitted tasks) has ended;
//   array task I ≥ 1 (in a job)              `exec node <root>/bin/lpe.js sweep … --shard I/N
//       --resume`: node itself is the job's process, so scancel's SIGTERM reaches lpe, which
//       saves and stops (no npx: SLURM could not follow npm's child, and it writes to ~/.npm);
//   array task 0                             `exec node … merge <dir>`.
// Because the merge is submitted from the same file, it gets the user's edits of the #SBATCH
// lines (partition, account…), with only its CPUs, memory and time replaced on the command line.
// The file submits itself by the absolute path it was run as ($0 resolved before anything
// else), never by a path relative to some other folder.
// Every value put into the script is quoted for whoever reads it: the shell (single quotes),
// sbatch's reading of #SBATCH lines (double quotes, backslash before \ and "), `%%` for a
// literal % in file patterns. A value holding a line break or another control character is
// refused: it could end a comment line and start a command.

import type { SlurmPlan } from "./slurm-resources.js";

export interface SlurmOptions {
  /** scenario name (job name, folder) */
  name: string;
  /** absolute path of the scenario file */
  file: string;
  /** absolute --out folder */
  out: string;
  /** absolute package root (holding bin/lpe.js) */
  root: string;
  /** shards, resources and their estimates */
  plan: SlurmPlan;
  /** --set overrides to pass on */
  sets: string[];
  /** grid points, outputs and the timed sample, for the header */
  gridSize: number;
  secondsPerPoint: number;
  /** --unset overrides to pass on */
  unsets?: string[];
  /** --work-limit to pass on (its text: seconds or none), when the sweep was given one */
  workLimit?: string;
}

/** POSIX-shell single quoting. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** An argument of an #SBATCH line as sbatch reads it: in double quotes, a backslash escapes the next character. */
export function sbatchQuoted(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
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
export function scriptValues(o: Pick<SlurmOptions, "out" | "file" | "root" | "name" | "sets" | "unsets">): Record<string, string> {
  return { "--out": o.out, file: o.file, "package root": o.root, name: o.name, ...Object.fromEntries((o.unsets ?? []).map((s) => ["--unset", s])), ...Object.fromEntries(o.sets.map((s) => ["--set", s])) };
}

/** Where the script of a sweep goes. */
export const slurmScriptPath = (out: string, name: string) => `${out}/${name}/sweep.slurm`;

/** The recovery steps after failed or cancelled tasks `tasks` (e.g. "2,5", or "I"), as shell commands. */
export function recoverySteps(script: string, tasks: string): string[] {
  return [`sbatch --array=${tasks} ${shQuote(script)}`, `bash ${shQuote(script)} merge`];
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

function approx(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function slurmScript(o: SlurmOptions): string {
  const bad = unsafeForScript(scriptValues(o));
  if (bad) throw new Error(`slurmScript: ${bad} holds a control character`);
  const q = shQuote;
  const { plan } = o;
  const N = plan.shards;
  const dir = `${o.out}/${o.name}`;
  const script = slurmScriptPath(o.out, o.name);
  const lpe = `${o.root}/bin/lpe.js`;
  const bundle = `${o.root}/dist/bundle/lpe.js`;
  const sets = (o.unsets ?? []).map((s) => ` --unset ${q(s)}`).join("") + o.sets.map((s) => ` --set ${q(s)}`).join("") + (o.workLimit !== undefined ? ` --work-limit ${q(o.workLimit)}` : "");
  const [resubmit, mergeAgain] = recoverySteps(script, "I");
  const jobName = `lpe-${o.name}`;
  const e = plan.estimate;
  return `#!/bin/bash
# lpe sweep of ${o.name}: a SLURM job array of ${N} shards (tasks 1-${N}), then their merge (task 0).
#
# Submit from anywhere (a login node), extra sbatch options go to every job:
#   bash ${q(script)} [--partition=NAME] [--account=NAME] …
# The merge runs once every task has succeeded and writes ${q(`${dir}/sweep.csv`)}.
# Task I runs shard I/${N} into ${q(dir)}/shard-I-of-${N}/ and resumes whatever an earlier run of
# it saved; a task whose node fails is requeued; logs: ${q(dir)}/slurm-*.out.
#
# If a task fails or is cancelled, the merge is cancelled too (never left pending). Recover:
#   ${resubmit}      (several: --array=2,5; they resume)
#   ${mergeAgain}      (merges once those jobs have ended)
# or, once every shard is finished, on any machine: node ${q(lpe)} merge ${q(dir)}
#
# Needs, at the same path on every node (a shared filesystem, not /tmp): the lpe checkout
# ${q(o.root)} (built: node_modules/, dist/), the scenario ${q(o.file)}
# and the output folder ${q(o.out)}; Node.js >= 20 on the PATH of the compute nodes.
#
# Resources, from ${plural(o.gridSize, "point")}, ${plural(N, "shard")} of <= ${plan.pointsPerShard} and ${(o.secondsPerPoint * 1000).toPrecision(2)} ms per point timed here:
#   each task: ${plural(plan.task.cpusPerTask, "CPU")}, --mem=${plan.task.mem}, --time=${plan.task.time} (estimated ${approx(e.taskSeconds)}, ${Math.ceil(e.taskMemMB)} MB)
#   the merge: 1 CPU, --mem=${plan.merge.mem}, --time=${plan.merge.time} (estimated ${approx(e.mergeSeconds)}, ${Math.ceil(e.mergeMemMB)} MB; MERGE_RESOURCES below)
# Edit the #SBATCH lines for your cluster (partition, account, time, memory); the merge is
# submitted from this file too and gets them, except its CPUs, memory and time. Array indices
# must stay below the cluster's MaxArraySize (scontrol show config); append %M to --array to
# run at most M tasks at once.
#SBATCH --job-name=${sbatchQuoted(jobName)}
#SBATCH --array=1-${N}
#SBATCH --cpus-per-task=${plan.task.cpusPerTask}
#SBATCH --mem=${plan.task.mem}
#SBATCH --time=${plan.task.time}
#SBATCH --output=${sbatchQuoted(`${slurmPatternLiteral(dir)}/slurm-%A_%a.out`)}
#SBATCH --open-mode=append
#SBATCH --requeue

# If Node.js comes from environment modules on your cluster, load it here, e.g.:
# module load nodejs/20

MERGE_RESOURCES=(--cpus-per-task=1 --mem=${plan.merge.mem} --time=${plan.merge.time})
SHARDS=${N}
# how messages show the script and the results (quoted for copying into a shell)
script_shown=${q(q(script))}
csv_shown=${q(q(`${dir}/sweep.csv`))}
set -euo pipefail

if [ -n "\${SLURM_JOB_ID:-}" ] && [ -n "\${SLURM_ARRAY_TASK_ID:-}" ]; then
  # ---- inside SLURM: task 0 merges, task I runs shard I
  if ! command -v node >/dev/null 2>&1; then
    echo "lpe: node (Node.js >= 20) is not on the PATH on $(hostname): uncomment and adapt the 'module load' line in $script_shown" >&2
    exit 1
  fi
  if [ ! -f ${q(bundle)} ]; then
    echo "lpe: "${q(q(bundle))}" is missing on $(hostname): the lpe checkout must be built (npm ci) and on a filesystem shared with the compute nodes" >&2
    exit 1
  fi
  if [ "$SLURM_ARRAY_TASK_ID" = 0 ]; then
    echo "lpe: merging the ${N} shards on $(hostname) (job $SLURM_JOB_ID)"
    exec node ${q(lpe)} merge ${q(dir)}
  fi
  echo "lpe: shard $SLURM_ARRAY_TASK_ID/${N} on $(hostname) with \${SLURM_CPUS_PER_TASK:-1} CPU(s) (job $SLURM_JOB_ID); should it fail or be cancelled: sbatch --array=$SLURM_ARRAY_TASK_ID $script_shown, then bash $script_shown merge"
  exec node ${q(lpe)} sweep ${q(o.file)} --out ${q(o.out)}${sets} --shard "$SLURM_ARRAY_TASK_ID/${N}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --resume
fi

# ---- not in a job: submit this file (by its absolute path, from wherever bash was started)
self="$(cd -- "$(dirname -- "$0")" && pwd -P)/$(basename -- "$0")"
self_shown=$(printf '%q' "$self")
mode=all
if [ "\${1:-}" = merge ]; then
  mode=merge
  shift
fi
if ! command -v sbatch >/dev/null 2>&1; then
  echo "lpe: sbatch is not on the PATH: run this on a login node of the SLURM cluster" >&2
  exit 1
fi
# A task asking for more CPUs than any node has would wait forever (Reason=PartitionConfig).
want=$(sed -n 's/^#SBATCH --cpus-per-task=\\([0-9][0-9]*\\).*/\\1/p' "$self" | head -n 1)
for a in "$@"; do
  case "$a" in --cpus-per-task=*) want=\${a#--cpus-per-task=} ;; esac
done
most=$( (timeout 20 sinfo -h -N -o '%c' 2>/dev/null || true) | tr -dc '0-9\\n' | sort -n | tail -n 1)
if [ "$mode" = all ] && [ -n "$want" ] && [ -n "$most" ] && [ "$most" -lt "$want" ]; then
  echo "lpe: each task asks for $want CPUs (--cpus-per-task in $self_shown), but the largest node of this cluster has $most: the tasks would never start. Edit the #SBATCH --cpus-per-task line (or emit the script again with --cpus-per-task $most); nothing was submitted." >&2
  exit 1
fi
# Array indices 0..SHARDS must be below MaxArraySize.
maxarray=$( (timeout 20 scontrol show config 2>/dev/null || true) | sed -n 's/^MaxArraySize *= *\\([0-9][0-9]*\\).*/\\1/p')
if [ -n "$maxarray" ] && [ "$SHARDS" -ge "$maxarray" ]; then
  echo "lpe: this cluster's MaxArraySize is $maxarray (array indices up to $((maxarray - 1))), too small for the $SHARDS shards of this script: emit it again with --shard $((maxarray - 1)) or fewer; nothing was submitted." >&2
  exit 1
fi
merge_output=${q(`${slurmPatternLiteral(dir)}/slurm-merge-%A.out`)}
if [ "$mode" = merge ]; then
  mid=$(sbatch --parsable "$@" "\${MERGE_RESOURCES[@]}" --array=0 --dependency=singleton --output="$merge_output" "$self")
  mid=\${mid%%;*}
  echo "submitted the merge as job $mid: it starts once every earlier job named "${q(q(jobName))}" has ended; then: $csv_shown"
  exit 0
fi
jid=$(sbatch --parsable "$@" "$self")
jid=\${jid%%;*}
mid=$(sbatch --parsable "$@" "\${MERGE_RESOURCES[@]}" --array=0 --dependency=afterok:"$jid" --kill-on-invalid-dep=yes --output="$merge_output" "$self")
mid=\${mid%%;*}
echo "submitted array job $jid (${plural(N, "shard")}) and its merge, job $mid; watch them with: squeue -j $jid,$mid"
echo "when job $mid has finished: $csv_shown"
echo "if a task fails or is cancelled, the merge is cancelled too; recover with: sbatch --array=I $self_shown (I: the failed tasks, e.g. 2,5), then bash $self_shown merge"
`;
}
