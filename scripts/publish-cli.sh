#!/usr/bin/env bash
# Publishes the trirl command line ahead-of-time compiled (ReadyToRun) into artifacts/trirl, for the shortest start:
# a 4x4 one-iteration `trirl tabular` takes about 0.4 s there against about 0.7 s from `dotnet build`'s output
# (docs/performance.md). Then run artifacts/trirl/trirl instead of `dotnet run --project src/Trirl.Cli -c Release --`.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet publish src/Trirl.Cli -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true -o artifacts/trirl
echo "published: artifacts/trirl/trirl"
