#!/bin/bash
# A sweep as a Slurm job array: task i of N runs shard i/N into results/coat/shard-<i>-of-<N>/.
#
#   sbatch examples/cluster/slurm-sweep.sh
#   # when all tasks are done (or submitted with a dependency, see the end of this file):
#   chemofrac sweep merge results/coat          # → results/coat/sweep.csv, ensemble.csv, runs/
#
# --resume makes a requeued or re-submitted task continue where it stopped (finished cases are kept), so the
# array can be resubmitted as it is after a preemption or a time limit. The shard index is 0-based, matching
# --array=0-(N-1).
#SBATCH --job-name=chemofrac-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=logs/sweep-%A_%a.out
set -euo pipefail

# Override by environment (sbatch --export=ALL,CHEMOFRAC_SWEEP=my-sweep.json,CHEMOFRAC_OUT=results/mine ...):
#   CHEMOFRAC_SWEEP  the sweep file               CHEMOFRAC_OUT  the output directory (shared by all tasks)
#   CHEMOFRAC        how to run the CLI (words split on spaces), e.g. "node /opt/chemofrac/bin/chemofrac.js"
SWEEP=${CHEMOFRAC_SWEEP:-examples/sweep-coating-thickness.json}
OUT=${CHEMOFRAC_OUT:-results/coat}
read -r -a CHEMOFRAC <<<"${CHEMOFRAC:-npx chemofrac}"
N=${SLURM_ARRAY_TASK_COUNT:-16}

"${CHEMOFRAC[@]}" sweep "$SWEEP" --out "$OUT" \
  --shard "${SLURM_ARRAY_TASK_ID}/${N}" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --resume

# Merge automatically once the whole array has succeeded:
#   jid=$(sbatch --parsable examples/cluster/slurm-sweep.sh)
#   sbatch --dependency=afterok:$jid --wrap "npx chemofrac sweep merge results/coat"
