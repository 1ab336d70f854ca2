#!/usr/bin/env bash
# Checks that an F# script which loads the deep library with `#r "nuget: ..."` gets the packaged libtorch even where a
# system libtorch is installed (Debian's libtorch1.13, which python3-torch brings): TorchRuntime.Ensure must succeed,
# and the libtorch_cpu.so mapped into the process must be the packaged one. Prints `libtorch: N passed, N failed`.
# Needs `dotnet build Trirl.Functional.sln -c Release` first; meaningful with /usr/lib/x86_64-linux-gnu/libtorch_cpu.so*
# present (it says so when none is).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
system=$(ls /usr/lib/x86_64-linux-gnu/libtorch_cpu.so* 2>/dev/null | head -n 1 || true)
echo "system libtorch: ${system:-none (the check still runs, but proves less)}"
bin="$repo/src/Trirl.Deep/bin/Release/net10.0"
cat >"$work/load.fsx" <<FSX
#r "nuget: TorchSharp, 0.107.0"
#r "nuget: libtorch-cpu-linux-x64, 2.10.0"
#r "$bin/Trirl.Functional.dll"
#r "$bin/Trirl.MuJoCo.dll"
#r "$bin/Trirl.Environments.dll"
#r "$bin/Trirl.Deep.dll"
Trirl.Deep.TorchRuntime.Ensure()
let mapped =
    System.IO.File.ReadLines "/proc/self/maps"
    |> Seq.choose (fun l -> match l.IndexOf '/' with -1 -> None | i -> Some (l.Substring i))
    |> Seq.filter (fun p -> System.IO.Path.GetFileName(p).StartsWith "libtorch_cpu.so")
    |> Seq.distinct |> List.ofSeq
printfn "mapped libtorch_cpu: %A" mapped
let sum = TorchSharp.torch.ones(3L).sum().item<float32>()
printfn "torch works: sum = %g" sum
if mapped |> List.exists (fun p -> p.StartsWith "/usr/lib") then failwith "the system libtorch is mapped"
FSX
if out=$(dotnet fsi "$work/load.fsx" 2>&1) && grep -q "torch works: sum = 3" <<<"$out"; then
  passed=$((passed + 1)); echo "ok     a nuget-loaded script loads the packaged libtorch"; grep "mapped" <<<"$out"
else
  failed=$((failed + 1)); echo "FAILED a nuget-loaded script loads the packaged libtorch:"; tail -n 15 <<<"$out"
fi
echo "libtorch: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
