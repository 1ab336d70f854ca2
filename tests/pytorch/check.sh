#!/usr/bin/env bash
# The smoke of `trirl bench trirl --reference pytorch` (issue 22): the library's loop and its PyTorch re-creation
# (scripts/bench/trirl_pytorch.py) at the tiny preset, one iteration, one thread; the JSON must hold both sides, each
# phase's and the whole loop's ratio PyTorch / ours must be a positive number, and a Python that does not exist must be
# one error line naming `apt-get install python3-torch`, exit code 2 and no file. No timing is asserted. Prints
# `pytorch: N passed, N failed`. Needs `dotnet build Trirl.Functional.sln -c Release` first and Debian's python3-torch
# (with libopenblas0-openmp; .ci/run installs both); any Python with torch does with TRIRL_PYTHON=/path/to/python.
set -uo pipefail
cd "$(dirname "$0")/../.."
cli=src/Trirl.Cli/bin/Release/net10.0/trirl.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok     $1"; }
fail() { failed=$((failed + 1)); echo "FAILED $1"; shift; for line in "$@"; do echo "       $line"; done; }

# 1. Both sides at the tiny preset.
out="$work/bench-trirl.json"
if dotnet "$cli" bench trirl --preset tiny --iterations 1 --threads 1 --reference pytorch --out "$out" >"$work/stdout" 2>"$work/stderr"; then
  # Any Python reads JSON; the one with torch is not needed here.
  python=$(command -v python3 || echo /usr/bin/python3)
  if verdict=$("$python" - "$out" <<'PY' 2>&1
import json, math, sys
d = json.load(open(sys.argv[1]))
phases = ["acting_seconds", "discriminator_seconds", "reward_seconds", "policy_seconds"]
r = d["pytorch_reference"]
problems = []
def positive(x):
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0
for p in phases:
    if not positive(d[p]): problems.append(f"ours: {p} = {d[p]}")
    if not positive(r[p]): problems.append(f"pytorch: {p} = {r[p]}")
for p in r["phases"]:
    if not positive(p["pytorch_to_ours_ratio"]): problems.append(f"{p['phase']}: ratio {p['pytorch_to_ours_ratio']}")
if not positive(r["pytorch_to_ours_ratio"]): problems.append(f"loop ratio {r['pytorch_to_ours_ratio']}")
if abs(r["pytorch_to_ours_ratio"] - r["loop_seconds"] / d["loop_seconds"]) > 1e-9 * r["pytorch_to_ours_ratio"]:
    problems.append("loop ratio is not pytorch loop / our loop")
if r["threads"] != d["threads"] or r["iterations"] != d["iterations"] or r["steps_per_iteration"] != d["steps_per_iteration"]:
    problems.append("threads, iterations or steps differ between the two sides")
if not r["torch_version"]: problems.append("no torch version")
print("; ".join(problems) if problems else f"ours {d['loop_seconds']:.4g} s, pytorch {r['loop_seconds']:.4g} s, "
      f"pytorch / ours {r['pytorch_to_ours_ratio']:.2f}, torch {r['torch_version']}, BLAS {r['blas']}")
sys.exit(1 if problems else 0)
PY
  ); then
    ok "bench trirl --preset tiny --reference pytorch: both sides and positive ratios ($verdict)"
  else
    fail "bench trirl --preset tiny --reference pytorch: the JSON" "$verdict"
  fi
else
  fail "bench trirl --preset tiny --reference pytorch exited non-zero" "$(tail -n 5 "$work/stderr")" "$(tail -n 5 "$work/stdout")"
fi

# 2. A Python that does not exist (TRIRL_PYTHON): one error line with the fix, exit code 2, no file.
missing="$work/missing.json"
TRIRL_PYTHON=/nonexistent/trirl/python3 dotnet "$cli" bench trirl --preset tiny --iterations 1 --reference pytorch --out "$missing" >"$work/stdout2" 2>"$work/stderr2"
status=$?
lines=$(grep -c . "$work/stderr2" || true)
if [[ $status -eq 2 && $lines -eq 1 && ! -e "$missing" ]] && grep -q "^error: TRIRL_PYTHON: .*apt-get install python3-torch" "$work/stderr2"; then
  ok "TRIRL_PYTHON=/nonexistent: exit 2, one error line naming apt-get install python3-torch, no file"
else
  fail "TRIRL_PYTHON=/nonexistent: expected exit 2, one error line and no file; got exit $status, $lines line(s)" "$(cat "$work/stderr2")"
fi

echo "pytorch: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
