#!/usr/bin/env bash
# CI: a small tabular sweep on a real single-node Slurm (issue 10, section 4).
#
#   bash tests/slurm/ci-sweep.sh
#
# Starts the local cluster (tests/slurm/local-cluster.sh start: installs Debian's slurm and munge when missing), plans
# a sweep of 2 envs x 2 algos x 3 seeds (10 iterations each) twice, runs one copy through `trirl sweep slurm --wait`
# and the other through `trirl sweep run --jobs 2`, aggregates both and checks that the two aggregate.csv files are
# identical; then checks that a failing array task is named (exit code 1). The cluster is stopped at the end, also on
# failure or interruption. Prints one final line `slurm: N passed, M failed` and exits non-zero when a check failed.
# Needs root (or sudo) for the cluster, and a Release build of the CLI (built here when missing; TRIRL_DLL overrides).
# Idempotent: every run works in a fresh temporary folder.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0
failed=0
stopped=0
work=""
ok() { passed=$((passed + 1)); echo "ok     $1"; }
bad() { failed=$((failed + 1)); echo "FAILED $1"; }

finish() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $stopped -eq 0 ]]; then
    if bash tests/slurm/local-cluster.sh stop >/dev/null 2>&1; then ok "the cluster stops"; else bad "the cluster stops"; fi
  fi
  [[ -n "$work" ]] && rm -rf "$work"
  if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
  echo "slurm: $passed passed, $failed failed"
  [[ $failed -eq 0 ]] && exit 0 || exit 1
}
trap finish EXIT
trap 'echo "interrupted"; exit 130' INT TERM

dll="${TRIRL_DLL:-src/Trirl.Cli/bin/Release/net10.0/trirl.dll}"
if [[ ! -f "$dll" ]]; then
  echo "building the CLI (Release)"
  dotnet build src/Trirl.Cli -c Release -nologo -v quiet -clp:NoSummary >/dev/null || { bad "the CLI builds"; exit 1; }
fi
dll=$(realpath "$dll")
trirl() { dotnet "$dll" "$@"; }

if bash tests/slurm/local-cluster.sh start; then ok "the cluster starts and its node is idle"; else bad "the cluster starts"; exit 1; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/trirl-ci-sweep.XXXXXX")
cat >"$work/spec.json" <<'EOF'
{"command": "tabular",
 "grid": {"env": ["gridworld:4", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1, 2]},
 "fixed": {"beta": 3, "eps": 0.05, "delta": 0.01, "iterations": 10}}
EOF

if trirl sweep plan --spec "$work/spec.json" --out "$work/slurm" && trirl sweep plan --spec "$work/spec.json" --out "$work/local" \
   && cmp -s "$work/slurm/plan.csv" "$work/local/plan.csv" && [[ $(($(wc -l <"$work/slurm/plan.csv") - 1)) -eq 12 ]]; then
  ok "sweep plan: 12 runs, the same ids twice"
else
  bad "sweep plan"; exit 1
fi

if timeout 600 dotnet "$dll" sweep slurm "$work/slurm" --wait --time 10; then ok "sweep slurm --wait: every array task succeeded"; else bad "sweep slurm --wait"; fi
if trirl sweep run "$work/local" --jobs 2; then ok "sweep run --jobs 2"; else bad "sweep run --jobs 2"; fi

if trirl sweep aggregate "$work/slurm" --out "$work/slurm-report" && trirl sweep aggregate "$work/local" --out "$work/local-report"; then
  ok "sweep aggregate (both)"
else
  bad "sweep aggregate"
fi
if cmp "$work/slurm-report/aggregate.csv" "$work/local-report/aggregate.csv"; then
  ok "Slurm and local give the same aggregate.csv ($(($(wc -l <"$work/local-report/aggregate.csv") - 1)) rows)"
else
  bad "Slurm and local give the same aggregate.csv"; diff "$work/slurm-report/aggregate.csv" "$work/local-report/aggregate.csv" | head -n 10
fi

# A task that fails (its config asks for --eps 0, which tabular refuses) is named and the wait exits 1.
cat >"$work/one.json" <<'EOF'
{"command": "tabular", "grid": {"env": ["cliff"], "algo": ["trirl"], "seed": [0]}, "fixed": {"iterations": 2}}
EOF
if trirl sweep plan --spec "$work/one.json" --out "$work/failing" >/dev/null; then
  config=$(ls "$work"/failing/runs/*/config.json)
  sed -i 's/"--iterations"/"--eps", "0", "--iterations"/' "$config"
  out=$(timeout 300 dotnet "$dll" sweep slurm "$work/failing" --wait 2>&1); status=$?
  if [[ $status -eq 1 ]] && grep -q "^error: slurm job [0-9]*: 1 of 1 tasks failed: task 0 cliff_trirl_s0_[0-9a-f]* (exit code 2" <<<"$out"; then
    ok "a failed task is named in one error line (exit 1)"
  else
    bad "a failed task is named (exit $status)"; echo "$out" | tail -n 5
  fi
else
  bad "plan of the failing sweep"
fi

if bash tests/slurm/local-cluster.sh stop; then ok "the cluster stops"; else bad "the cluster stops"; fi
stopped=1
