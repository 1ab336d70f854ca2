#!/usr/bin/env bash
# The reports suite of .ci/run: makes a report.html of each kind with the Release CLI (trirl demo; trirl tabular on a
# 4x4 gridworld; trirl rl, PPO on the pendulum; trirl train, TRIRL on the pendulum; trirl sweep aggregate of a small
# tabular sweep), then opens each from the disk in Debian's headless chromium with the network cut
# (node tests/site/reports.mjs: one offline file, no console error, the header, the charts drawn in the grid, each
# as wide as its card at 1400 px and at 700 px).
#
#   bash tests/site/reports.sh [--keep DIR] [--screenshots DIR]
#
# --keep DIR writes the run folders into DIR (else a temporary folder, removed at the end); --screenshots DIR saves a
# whole-page PNG of each report at 1400 px. Needs the Release build (dotnet build Trirl.Functional.sln -c Release),
# chromium (apt-get install chromium) and Node.js with npm (playwright-core, no browser download). The last line is
# "reports: P passed, F failed" (one test per report; a command that fails counts as one failure).
set -uo pipefail
cd "$(dirname "$0")/../.."
keep=""
shots=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=${2:?--keep needs a folder}; shift ;;
    --screenshots) shots=(--screenshots "${2:?--screenshots needs a folder}"); shift ;;
    *) echo "error: unknown argument $1 (usage: bash tests/site/reports.sh [--keep DIR] [--screenshots DIR])" >&2; echo "reports: 0 passed, 1 failed"; exit 2 ;;
  esac
  shift
done

dll=src/Trirl.Cli/bin/Release/net10.0/trirl.dll
if [[ ! -f "$dll" ]]; then
  echo "FAILED: $dll is missing: build first (dotnet build Trirl.Functional.sln -c Release)"
  echo "reports: 0 passed, 1 failed"
  exit 1
fi
dll=$(realpath "$dll")
trirl() { dotnet "$dll" "$@"; }

if [[ -n "$keep" ]]; then work=$keep; mkdir -p "$work"; else work=$(mktemp -d "${TMPDIR:-/tmp}/trirl-reports.XXXXXX"); fi
work=$(realpath "$work")
failed=0
make() {
  local name=$1; shift
  local code=0
  trirl "$@" >"$work/$name.log" 2>&1 || code=$?
  if [[ $code -eq 0 ]]; then echo "made   $name (trirl $*)"
  else failed=$(( failed + 1 )); echo "FAILED trirl $* (exit $code)"; tail -n 20 "$work/$name.log"; fi
}
make demo demo --out "$work/demo"
make tabular tabular --env gridworld:4 --algo trirl --iterations 12 --seed 1 --out "$work/tabular"
make rl rl --env pendulum --algo ppo --preset tiny --steps 400 --out "$work/rl"
make train train --env pendulum --algo trirl --preset tiny --steps 400 --out "$work/train"
cat >"$work/spec.json" <<'EOF'
{"command": "tabular", "grid": {"env": ["gridworld:4", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1]},
 "fixed": {"beta": 3, "eps": 0.05, "delta": 0.01, "iterations": 3}}
EOF
make sweep-plan sweep plan --spec "$work/spec.json" --out "$work/sweep-runs"
make sweep-run sweep run "$work/sweep-runs" --jobs 2
make sweep sweep aggregate "$work/sweep-runs" --out "$work/sweep"

reports=()
for name in demo tabular rl train sweep; do [[ -f "$work/$name/report.html" ]] && reports+=("$work/$name/report.html"); done
status=0
if ! (cd tests/site && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "FAILED npm ci in tests/site (playwright-core)"
  failed=$(( failed + 1 )); status=1
elif [[ ${#reports[@]} -gt 0 ]]; then
  out=$(mktemp)
  node tests/site/reports.mjs "${shots[@]}" "${reports[@]}" | tee "$out"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^reports: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
  rm -f "$out"
fi
[[ -z "$keep" ]] && rm -rf "$work"
passed=0
if [[ -n "${line:-}" ]]; then
  passed=$(sed -E 's/^reports: ([0-9]+) passed.*/\1/' <<<"$line")
  failed=$(( failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line") ))
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "reports: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
