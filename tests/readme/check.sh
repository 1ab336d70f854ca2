#!/usr/bin/env bash
# Runs the README's "C# in 20 lines", "F# in 20 lines" and "The F# layer" examples exactly as they are written there,
# against the Release build, and checks what they print against what the README says they print:
#   - C#: the value of eta in the example's last comment (`// eta 1.7395, ...`), and a correction residual below 1e-12;
#   - F#: every `NAME gap VALUE` (and `return VALUE`) quoted in the sentence after the block, and a retraining
#     residual below 1e-12;
#   - the F# layer (no values quoted): a gap below 1e-6 after its 120 iterations, a retraining residual below 1e-12,
#     and the chart file it saves;
#   - "Continuous control and deep TRIRL" (F#): ten deep TRIRL iterations through Trirl.FSharp.Deep;
#   - "Your own MDP and data, in code" (C# and F#): each prints the line the sentence after the blocks quotes
#     (`Both print \`...\``).
# Prints `readme: N passed, N failed` (one test per example). Needs `dotnet build Trirl.Functional.sln -c Release`
# first, and NuGet (the C# example's project restores System.Numerics.Tensors, as a user's would).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
readme=README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$(( passed + 1 )); echo "ok     $1"; }
fail() { failed=$(( failed + 1 )); echo "FAILED $1: $2"; }

# The fenced block of language $2 under the heading $1.
block() { awk -v h="$1" -v lang="$2" '$0 == h {f = 1} f && $0 == "```" lang {c = 1; next} c && /^```/ {exit} c' "$readme"; }
# True when the number $1 is below $2.
below() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 < y + 0) }'; }
# The references of an F# example of the tabular library, as built here (with Plotly.NET for charts when $1 is charts).
tabular_refs() {
  [[ "${1:-}" == charts ]] && echo "#r \"nuget: Plotly.NET, 6.0.0\""
  echo "#r \"nuget: System.Numerics.Tensors, 10.0.0\""
  echo "#r \"$repo/fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll\""
  echo "#r \"$repo/fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll\""
}
# Writes $work/$1: the F# example $2 after tabular_refs $3.
tabular_script() { { tabular_refs "${3:-}"; printf '%s\n' "$2"; } >"$work/$1"; }
# The retraining residual that an example's output $1 prints.
retraining_residual() { grep -oE 'retraining residual [0-9.e+-]+' <<<"$1" | awk '{print $3}'; }
# Runs `dotnet fsi $2` (from the folder $3, the repository by default) with its output in $out; when it fails, the
# example $1 fails with the end of that output.
run_fsx() {
  out=$(cd "${3:-$repo}" && dotnet fsi "$2" 2>&1) && return 0
  fail "$1" "did not run:"; tail -n 20 <<<"$out"; return 1
}
# The verdict on the F# example $1 whose output is $out: it fails with the problem $2 when there is one, else when
# its retraining residual is not below 1e-12; else it passes, with the note $3 and the residual.
residual_verdict() {
  local residual
  residual=$(retraining_residual "$out")
  if [[ -n "$2" ]]; then fail "$1" "$2"
  elif [[ -z "$residual" ]] || ! below "$residual" 1e-12; then fail "$1" "retraining residual '$residual' is not below 1e-12"
  else ok "$1 ($3, retraining residual $residual)"; fi
}

# ---- C# -----------------------------------------------------------------------------------------------------------
csharp=$(block "## C# in 20 lines" csharp)
expected_eta=$(grep -oE '// eta [0-9.]+' <<<"$csharp" | tail -n 1 | awk '{print $3}')
if [[ -z "$csharp" || -z "$expected_eta" ]]; then
  fail "README C# example" "no csharp block with an '// eta X' comment under '## C# in 20 lines'"
else
  mkdir -p "$work/csharp"
  printf '%s\n' "$csharp" >"$work/csharp/Program.cs"
  cat >"$work/csharp/Example.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$repo/src/Trirl.Functional/bin/Release/net10.0/Trirl.Functional.dll" />
    <PackageReference Include="System.Numerics.Tensors" Version="10.0.0" />
  </ItemGroup>
</Project>
EOF
  if out=$(dotnet run --project "$work/csharp/Example.csproj" -c Release 2>&1); then
    last=$(tail -n 1 <<<"$out")
    eta=$(grep -oE 'eta [0-9.]+' <<<"$last" | awk '{print $2}')
    residual=$(grep -oE 'residual [0-9.E+-]+' <<<"$last" | awk '{print $2}')
    if [[ "$eta" != "$expected_eta" ]]; then fail "README C# example" "prints eta '$eta', the README says $expected_eta"
    elif [[ -z "$residual" ]] || ! below "$residual" 1e-12; then fail "README C# example" "correction residual '$residual' is not below 1e-12"
    else ok "README C# example (eta $eta, correction residual $residual)"; fi
  else
    fail "README C# example" "did not build or run:"; tail -n 20 <<<"$out"
  fi
fi

# ---- F# -----------------------------------------------------------------------------------------------------------
fsharp=$(block "## F# in 20 lines" fsharp)
# The sentence after the block quotes fragments such as `trirl gap 3.00e-005 ... return 0.898`.
claims=$(awk '$0 == "## F# in 20 lines" {f = 1} f && /^It prints/ {p = 1} p {print} p && /^$/ {exit}' "$readme" \
  | tr '\n' ' ' | grep -oE '`[a-z]+ gap [0-9.e+-]+[^`]*`' | tr -d '`')
if [[ -z "$fsharp" || -z "$claims" ]]; then
  fail "README F# example" "no fsharp block under '## F# in 20 lines' followed by 'It prints \`NAME gap VALUE ...\`'"
else
  tabular_script example.fsx "$fsharp" charts
  if run_fsx "README F# example" "$work/example.fsx"; then
    problem=""
    while read -r name _ gap rest; do
      line=$(grep -E "^$name +gap " <<<"$out" | head -n 1)
      [[ -z "$line" ]] && { problem="no line for $name"; break; }
      [[ "$(awk '{print $3}' <<<"$line")" != "$gap" ]] && { problem="$name: '$line', the README says gap $gap"; break; }
      ret=$(grep -oE 'return [0-9.]+' <<<"$rest" | awk '{print $2}')
      [[ -n "$ret" && "$line" != *"return $ret"* ]] && { problem="$name: '$line', the README says return $ret"; break; }
    done <<<"$claims"
    residual_verdict "README F# example" "$problem" "$(wc -l <<<"$claims") quoted lines"
  fi
fi

# ---- F# layer (Trirl.FSharp) ----------------------------------------------------------------------------------------
layer=$(block "### The F# layer" fsharp)
if [[ -z "$layer" ]]; then
  fail "README F# layer example" "no fsharp block under '### The F# layer'"
else
  tabular_script layer.fsx "$layer" charts
  # Run from the scratch folder: the example writes runs/gap.html relative to the working directory.
  if run_fsx "README F# layer example" layer.fsx "$work"; then
    gap=$(grep -oE '^gap [0-9.e+-]+' <<<"$out" | awk '{print $2}')
    problem=""
    if [[ -z "$gap" ]] || ! below "$gap" 1e-6; then problem="gap '$gap' after 120 iterations is not below 1e-6"
    elif ! grep -q "plotly" "$work/runs/gap.html" 2>/dev/null; then problem="runs/gap.html was not written"; fi
    residual_verdict "README F# layer example" "$problem" "gap $gap, chart written"
  fi
fi

# ---- Continuous control and deep TRIRL (Trirl.FSharp.Deep) -------------------------------------------------------------
deep=$(block "## Continuous control and deep TRIRL" fsharp)
if [[ -z "$deep" ]]; then
  fail "README deep F# example" "no fsharp block under '## Continuous control and deep TRIRL'"
else
  bin="$repo/fsharp/Trirl.FSharp.Deep/bin/Release/net10.0"
  {
    echo "#r \"nuget: Plotly.NET, 6.0.0\""
    echo "#r \"nuget: System.Numerics.Tensors, 10.0.0\""
    echo "#r \"nuget: TorchSharp, 0.107.0\""
    echo "#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\""
    for dll in Trirl.Functional Trirl.MuJoCo Trirl.Environments Trirl.Deep Trirl.FSharp Trirl.FSharp.Deep; do echo "#r \"$bin/$dll.dll\""; done
    printf '%s\n' "$deep"
  } >"$work/deep.fsx"
  # Ten iterations of the default preset: 2,048 env steps each, eta annealed from 10, eps_tr = 0.2 / (1 + eta).
  if out=$(dotnet fsi "$work/deep.fsx" 2>&1) && [[ $(grep -cE '^[0-9]+  eta [0-9.]+  eps_tr 0\.0[0-9]+$' <<<"$out") -eq 10 ]] \
     && grep -qE '^20480  eta ' <<<"$out"; then
    ok "README deep F# example (10 iterations to 20,480 env steps)"
  else
    fail "README deep F# example" "did not print ten iterations ending at 20480:"; tail -n 12 <<<"$out"
  fi
fi

# ---- Your own MDP and data, in code (C# and F#) ----------------------------------------------------------------------
own="## Your own MDP and data, in code"
quoted=$(awk -v h="$own" '$0 == h {f = 1} f && /^Both print/ {print; exit}' "$readme" | grep -oE '`[^`]+`' | head -n 1 | tr -d '`')
own_cs=$(block "$own" csharp)
own_fs=$(block "$own" fsharp)
if [[ -z "$quoted" || -z "$own_cs" || -z "$own_fs" ]]; then
  fail "README own-data examples" "no csharp and fsharp blocks under '$own' followed by 'Both print \`...\`'"
else
  mkdir -p "$work/own"
  printf '%s\n' "$own_cs" >"$work/own/Program.cs"
  cp "$work/csharp/Example.csproj" "$work/own/Example.csproj"
  if out=$(dotnet run --project "$work/own/Example.csproj" -c Release 2>&1) && [[ "$(tail -n 1 <<<"$out")" == "$quoted"* ]]; then
    ok "README own-data C# example ($quoted)"
  else
    fail "README own-data C# example" "printed '$(tail -n 1 <<<"$out")', the README says '$quoted'"
  fi
  tabular_script own.fsx "$own_fs"
  if out=$(dotnet fsi "$work/own.fsx" 2>&1) && [[ "$(tail -n 1 <<<"$out")" == "$quoted" ]]; then
    ok "README own-data F# example ($quoted)"
  else
    fail "README own-data F# example" "printed '$(tail -n 1 <<<"$out")', the README says '$quoted'"
  fi
fi

echo "readme: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
