#!/usr/bin/env bash
# Publishes the trirl command line ahead of time, for the shortest start (docs/performance.md, "Whole process").
#   bash scripts/publish-cli.sh            ReadyToRun into artifacts/trirl: every command; a 4x4 one-iteration
#                                          `trirl tabular` takes about 0.4 s there against 0.7 s from `dotnet build`.
#   bash scripts/publish-cli.sh --native   NativeAOT into artifacts/trirl-native, compiled for this machine's instruction
#                                          set (the tabular numbers then equal the JIT build's bit for bit): `tabular`,
#                                          `demo` and `bench tabular` only (about 0.15 s for the 4x4 run); every other
#                                          command is refused with the fix. Needs clang or gcc to link.
# Then run artifacts/trirl/trirl (or artifacts/trirl-native/trirl) instead of `dotnet run --project src/Trirl.Cli -c Release --`.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
case "${1:-}" in
  "")
    dotnet publish src/Trirl.Cli -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true -o artifacts/trirl
    echo "published: artifacts/trirl/trirl" ;;
  --native)
    command -v clang > /dev/null || command -v gcc > /dev/null \
      || { echo "error: the native build links with clang or gcc; install one (Debian: apt-get install gcc) and run again" >&2; exit 2; }
    # The deep libraries' reflection (TorchSharp modules, the settings' JSON) raises trimming and AOT warnings; the
    # native build never runs that code (NativeBuild refuses those commands), so the warnings must not fail the build.
    dotnet publish src/Trirl.Cli -c Release -r "${rid:-linux-x64}" -p:PublishAot=true -p:IlcInstructionSet=native \
      -p:TreatWarningsAsErrors=false -o artifacts/trirl-native
    echo "published: artifacts/trirl-native/trirl (tabular, demo and bench tabular)" ;;
  *)
    echo "error: unknown option '$1'; run with no option (ReadyToRun, every command) or --native (NativeAOT, the tabular commands)" >&2
    exit 2 ;;
esac
