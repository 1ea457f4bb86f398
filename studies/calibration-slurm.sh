#!/bin/bash
# The calibration study (docs/calibration.md) as Slurm jobs, submitted at once with dependencies:
#
#   1. the calibration sweep (dense design × parameter grid × K seeds) as a job array (examples/cluster/slurm-sweep.sh)
#   2. merge it, pick the best grid point and write the three prediction sweeps (studies/calibrate-fatigue.ts
#      --sweeps-only reads the merged results)
#   3. the three prediction sweeps (gradient-porous, bare, MF-coated at the calibrated parameters) as job arrays
#   4. merge them and write the study's tables (calibrate-fatigue.ts computes nothing then: every case is on disk)
#
#   studies/calibration-slurm.sh [OUT] [extra calibrate-fatigue.ts options, e.g. --quick or --settings FILE]
#
# Run it from the project directory on the login node. Environment: CAL_TASKS (calibration array size, default 64),
# PRED_TASKS (each prediction array, default 8), CPUS (cores per task, default 4), CHEMOFRAC (the CLI, default
# "npx chemofrac"), STUDY (the study script, default "npx tsx studies/calibrate-fatigue.ts"). Every stage resumes:
# resubmitting after a failure or a time limit continues where it stopped.
set -euo pipefail
OUT=${1:-results/calibration-full}
shift || true
EXTRA=("$@")
CAL_TASKS=${CAL_TASKS:-64}
PRED_TASKS=${PRED_TASKS:-8}
CPUS=${CPUS:-4}
CHEMOFRAC=${CHEMOFRAC:-npx chemofrac}
STUDY=${STUDY:-npx tsx studies/calibrate-fatigue.ts}
ARRAY=examples/cluster/slurm-sweep.sh
mkdir -p logs

# The calibration sweep file (the prediction sweeps need the calibration's result: written by stage 2).
$STUDY --sweeps-only --quiet --out "$OUT" "${EXTRA[@]}" >/dev/null

submit_array() { # name tasks [dependency]
  sbatch --parsable ${3:+--dependency=afterok:$3} --array=0-$(($2 - 1)) --cpus-per-task="$CPUS" \
    --job-name="cal-$1" --export=ALL,CHEMOFRAC_SWEEP="$OUT/sweeps/$1.json",CHEMOFRAC_OUT="$OUT/$1",CHEMOFRAC="$CHEMOFRAC" \
    "$ARRAY"
}

cal=$(submit_array calibrate-dense "$CAL_TASKS")
pick=$(sbatch --parsable --dependency=afterok:"$cal" --job-name=cal-pick --output=logs/cal-pick-%j.out \
  --wrap "$CHEMOFRAC sweep merge $OUT/calibrate-dense && $STUDY --sweeps-only --quiet --out $OUT ${EXTRA[*]}")
deps=""
for p in predict-gradient predict-bare predict-mf-coated; do
  deps="$deps:$(submit_array "$p" "$PRED_TASKS" "$pick")"
done
final=$(sbatch --parsable --dependency=afterok"$deps" --job-name=cal-tables --output=logs/cal-tables-%j.out \
  --wrap "for p in predict-gradient predict-bare predict-mf-coated; do $CHEMOFRAC sweep merge $OUT/\$p || exit 1; done; $STUDY --quiet --out $OUT ${EXTRA[*]}")
echo "calibration array $cal, pick $pick, prediction arrays ${deps#:}, tables $final → $OUT/summary.md"
