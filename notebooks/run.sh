#!/usr/bin/env bash
# Runs the Polyglot notebooks headless in the real .NET Interactive kernel (the dotnet-repl tool) and checks them.
#
#   bash notebooks/run.sh [--update] [NOTEBOOK...]      (from the repository root; NOTEBOOK: 01-max-ent-rl,
#                                                       01-max-ent-rl.ipynb, notebooks/01-max-ent-rl.ipynb or a unique
#                                                       prefix such as 01; all notebooks by default)
#
# 1. restores the local tools (.config/dotnet-tools.json pins dotnet-repl);
# 2. packs the libraries into artifacts/packages with a build-unique version (scripts/pack.sh); notebooks/NuGet.Config
#    makes that folder a package source for the kernels started in notebooks/, and the notebooks load the newest
#    package with #r "nuget: Trirl.FSharp, *-*", so they never load a stale copy from NuGet's cache;
# 3. when the FSharp.Core bundled with dotnet-repl is older than the one paket.lock pins (Plotly.NET 6 needs
#    FSharp.Core 10.1), prepares a copy of the tool in artifacts/ whose FSharp.Core.dll is the pinned one;
# 4. with --update, first makes each selected notebook again from its source in docs/tutorials/ (the literate F#
#    pages of the site, or the C# file-based app of 06: `dotnet fsi notebooks/tools/nbtool.fsx generate`);
# 5. runs each notebook into a temporary folder (never touching the stored notebook), and reports per notebook PASS,
#    or FAIL with the cell number and error text;
# 6. with --update, rewrites each passing notebook in place with its outputs and records the hash of its code cells
#    in metadata.trirl.source_hash (tests/Trirl.Tests/NotebookTests.fs checks that the stored outputs are current).
#
# The last line is "notebooks: N passed, M failed"; the exit code is non-zero when a notebook failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
update=0
selected=()
for arg in "$@"; do
  case "$arg" in
    --update) update=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "error: unknown option $arg" >&2; usage >&2; exit 2 ;;
    *)
      name=$(basename "$arg" .ipynb)
      if [[ ! -f "notebooks/$name.ipynb" ]]; then
        # a unique prefix names a notebook too (04 -> 04-trirl-vs-mce-vs-adversarial)
        matches=(notebooks/"$name"*.ipynb)
        [[ ${#matches[@]} -eq 1 && -f "${matches[0]}" ]] || { echo "error: no notebook notebooks/$name.ipynb" >&2; exit 2; }
        name=$(basename "${matches[0]}" .ipynb)
      fi
      selected+=("$name") ;;
  esac
done
if [[ ${#selected[@]} -eq 0 ]]; then
  for nb in notebooks/*.ipynb; do selected+=("$(basename "$nb" .ipynb)"); done
fi
[[ ${#selected[@]} -gt 0 ]] || { echo "error: no notebooks in notebooks/" >&2; exit 2; }

out=$(mktemp -d "${TMPDIR:-/tmp}/trirl-notebooks.XXXXXX")
trap 'rm -rf "$out"' EXIT
# Before any notebook ran: every selected notebook counts as failed, and the summary line is still printed.
die() { echo "error: $*" >&2; echo "notebooks: 0 passed, ${#selected[@]} failed"; exit 1; }

echo "==> restore tools"
dotnet tool restore >/dev/null || die "dotnet tool restore failed"

echo "==> pack the libraries into artifacts/packages"
if ! version=$(bash scripts/pack.sh 2>"$out/pack.log" | tail -n 1); then
  cat "$out/pack.log" >&2
  die "packing the libraries failed (above)"
fi
echo "    Trirl.Functional, Trirl.Environments, Trirl.Deep, Trirl.FSharp and Trirl.FSharp.Deep $version"

global=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
global=${global%/}
tool_version=$(grep -A 1 '"dotnet-repl"' .config/dotnet-tools.json | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
tool_dir="$global/dotnet-repl/$tool_version/tools/net10.0/any"
pinned=$(sed -n 's/^    FSharp\.Core (\([^)]*\))$/\1/p' paket.lock | head -n 1)
pinned_dll="$global/fsharp.core/$pinned/lib/netstandard2.1/FSharp.Core.dll"
[[ -f "$tool_dir/dotnet-repl.dll" ]] || die "dotnet-repl $tool_version is not restored ($tool_dir)"
[[ -f "$pinned_dll" ]] || die "FSharp.Core $pinned (paket.lock) is not restored ($pinned_dll)"

nbtool=(dotnet fsi notebooks/tools/nbtool.fsx)
read -r bundled_version pinned_version order < <("${nbtool[@]}" fsharp-core "$tool_dir/FSharp.Core.dll" "$pinned_dll") || true
[[ -n "${order:-}" ]] || die "could not read the FSharp.Core versions (dotnet fsi notebooks/tools/nbtool.fsx fsharp-core ...)"
if [[ "$order" == "older" ]]; then
  kernel_dir="artifacts/dotnet-repl-$tool_version-fsharp.core-$pinned"
  echo "==> kernel: dotnet-repl $tool_version bundles FSharp.Core $bundled_version, older than FSharp.Core $pinned ($pinned_version) that paket.lock pins: using a copy with FSharp.Core $pinned in $kernel_dir"
  if ! cmp -s "$kernel_dir/FSharp.Core.dll" "$pinned_dll" || [[ ! -f "$kernel_dir/dotnet-repl.dll" ]]; then
    rm -rf "$kernel_dir.tmp"
    mkdir -p artifacts
    # Hard links when the package folder is on the same file system (216 MB otherwise); FSharp.Core.dll is removed
    # before the pinned one is copied in, so that the restored tool package itself is never modified.
    cp -R -l "$tool_dir" "$kernel_dir.tmp" 2>/dev/null || { rm -rf "$kernel_dir.tmp"; cp -R "$tool_dir" "$kernel_dir.tmp"; }
    rm -f "$kernel_dir.tmp/FSharp.Core.dll"
    cp "$pinned_dll" "$kernel_dir.tmp/FSharp.Core.dll"
    rm -rf "$kernel_dir"
    mv "$kernel_dir.tmp" "$kernel_dir"
  fi
  kernel=(dotnet "$PWD/$kernel_dir/dotnet-repl.dll")
else
  echo "==> kernel: dotnet-repl $tool_version (bundled FSharp.Core $bundled_version, pinned $pinned_version)"
  kernel=(dotnet "$tool_dir/dotnet-repl.dll")
fi

if [[ $update -eq 1 ]]; then
  echo "==> make the notebooks from their sources in docs/tutorials/"
  sources=()
  for name in "${selected[@]}"; do
    if [[ -f "docs/tutorials/$name.fsx" ]]; then sources+=("docs/tutorials/$name.fsx")
    elif [[ -f "docs/tutorials/$name.cs" ]]; then sources+=("docs/tutorials/$name.cs")
    else die "notebooks/$name.ipynb has no source docs/tutorials/$name.fsx or .cs"; fi
  done
  "${nbtool[@]}" generate "${sources[@]}" || die "making the notebooks from their sources failed (above)"
fi

paths=()
for name in "${selected[@]}"; do
  echo "==> run notebooks/$name.ipynb"
  start=$(date +%s.%N)
  set +e
  # The kernel starts in notebooks/, like VS Code's and Jupyter's, so that notebooks/NuGet.Config applies.
  (cd notebooks && timeout 900 "${kernel[@]}" --run "$name.ipynb" --exit-after-run \
      --output-path "$out/$name.ipynb" --output-format ipynb </dev/null >"$out/$name.log" 2>&1)
  echo $? >"$out/$name.rc"
  set -e
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' >"$out/$name.seconds"
  paths+=("notebooks/$name.ipynb")
done

echo "==> results"
set +e
if [[ $update -eq 1 ]]; then
  "${nbtool[@]}" results --update "$out" "${paths[@]}" | tee "$out/results.txt"
else
  "${nbtool[@]}" results "$out" "${paths[@]}" | tee "$out/results.txt"
fi
set -e
passed=$(grep -c '^PASS ' "$out/results.txt" || true)
failed=$(( ${#selected[@]} - passed ))
echo "notebooks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
