#!/usr/bin/env bash
# Packs the libraries as NuGet packages into artifacts/packages (a local feed for notebooks and scripts).
#
#   bash scripts/pack.sh            # prints the packed version on its last line
#
# NuGet caches a package by id and version in its global packages folder and never looks at the feed again for an
# id+version it already holds. So every pack gets a build-unique prerelease version, <Version>-local.<UTC timestamp>
# (e.g. 0.1.0-local.20261125101500), and a notebook that asks for the newest version (`#r "nuget: Trirl.FSharp, *-*"`)
# always loads the package just packed, never a stale copy. Older Trirl.* packages are removed from
# artifacts/packages, and older `-local.` versions of them from the global packages folder (that only keeps the cache
# small; the unique version alone already rules out staleness).
#
# The version is passed as PackageVersion, not Version, so that the assemblies (version <Version>) are not rebuilt
# by every pack; pass another one with PACKAGE_VERSION=... (e.g. a release: PACKAGE_VERSION=0.1.0).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The packable libraries, each after the ones it depends on: Trirl.MuJoCo on Trirl.Functional, Trirl.Environments on
# both, Trirl.Deep on
# both (and on TorchSharp with the CPU libtorch for Linux x64, Paket group Deep), Trirl.FSharp on Trirl.Functional,
# Trirl.FSharp.Deep (the F# layer of the deep half) on Trirl.FSharp and Trirl.Deep.
projects=(src/Trirl.Functional/Trirl.Functional.csproj src/Trirl.MuJoCo/Trirl.MuJoCo.csproj src/Trirl.Environments/Trirl.Environments.csproj
  src/Trirl.Deep/Trirl.Deep.csproj fsharp/Trirl.FSharp/Trirl.FSharp.fsproj fsharp/Trirl.FSharp.Deep/Trirl.FSharp.Deep.fsproj)
ids=(trirl.functional trirl.mujoco trirl.environments trirl.deep trirl.fsharp trirl.fsharp.deep)

base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
[[ -n "$base" ]] || { echo "error: no <Version> in Directory.Build.props" >&2; exit 1; }
version="${PACKAGE_VERSION:-$base-local.$(date -u +%Y%m%d%H%M%S)}"
out=artifacts/packages

mkdir -p "$out"
rm -f "$out"/Trirl.*.nupkg "$out"/Trirl.*.snupkg

global=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
if [[ -n "$global" && -d "$global" ]]; then
  for id in "${ids[@]}"; do
    rm -rf "$global/$id/"*-local.* 2>/dev/null || true
  done
fi

for project in "${projects[@]}"; do
  echo "pack $project $version" >&2
  dotnet pack "$project" -c Release -o "$out" -p:PackageVersion="$version" -nologo -v:quiet -clp:NoSummary >&2
done
echo "packed into $out:" >&2
ls -1 "$out" | sed 's/^/  /' >&2
echo "$version"
