#!/usr/bin/env bash
# Builds the documentation site into artifacts/site (from the repository root):
#
#   bash scripts/site.sh [--no-build] [--out DIR]
#
# Then open artifacts/site/index.html in a browser (it works offline, from the disk or any web server: every link is
# relative and every script and style ships with the site).
#
# 1. builds the solution (Release; --no-build skips this when it is built already) and restores the local tools
#    (fsdocs-tool is pinned in .config/dotnet-tools.json) and the site's front-end files (scripts/site/package.json:
#    KaTeX, from the npm registry);
# 2. makes the pages that come from other files: docs/quickstart.md from the README's quickstarts, and
#    docs/tutorials/06-csharp-quickstart.md from the stored, run C# notebook (both generated, git-ignored);
# 3. runs `fsdocs build --eval --strict`: the literate scripts of docs/tutorials and docs/gallery are evaluated by F#
#    Interactive against the Release build (their outputs and Plotly charts go into the pages), the markdown of docs/
#    (the math note, the results) becomes pages, and the API reference is made from the XML docs of the libraries;
# 4. makes every link relative (fsdocs writes them from a root), turns the API reference's links to types it does not
#    list (internal ones, and the two fsdocs 22.2.0 cannot read: the build names them) into plain text, adds plotly.js (from Plotly.NET) and KaTeX to
#    content/ with the stylesheet trirl.css (fsharp/Trirl.FSharp/trirl.css, embedded in Trirl.FSharp: the CLI's
#    report.html inlines the same file), and checks the evaluated pages: fsdocs leaves an output empty when a snippet
#    fails, so an empty output, or a page without a chart, fails the build.
#
# The last line is "built N pages in artifacts/site (T s)"; the exit code is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$(date +%s)
step() { echo "==> $1 ($(( $(date +%s) - start )) s)"; }

build=1
out=artifacts/site
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (usage: bash scripts/site.sh [--no-build] [--out DIR])" >&2; exit 2 ;;
  esac
  shift
done

# The libraries whose public types the API reference lists: every project under src/ that is not a program (the CLI),
# and the F# layer (its tabular and deep assemblies).
projects=()
for p in src/*/*.csproj; do grep -q '<OutputType>Exe</OutputType>' "$p" || projects+=("$p"); done
projects+=(fsharp/Trirl.FSharp/Trirl.FSharp.fsproj fsharp/Trirl.FSharp.Deep/Trirl.FSharp.Deep.fsproj)

if [[ $build -eq 1 ]]; then
  step "build Release"
  dotnet build Trirl.Functional.sln -c Release -nologo -clp:NoSummary -v:q
fi
for p in "${projects[@]}"; do
  dll="$(dirname "$p")/bin/Release/net10.0/$(basename "${p%.*}").dll"
  [[ -f "$dll" ]] || { echo "error: $dll is missing: run without --no-build (or dotnet build Trirl.Functional.sln -c Release)" >&2; exit 1; }
done

step "tools and front-end files"
dotnet tool restore >/dev/null
command -v npm >/dev/null || { echo "error: npm (Node.js) is needed for the site's KaTeX: apt-get install nodejs npm" >&2; exit 1; }
(cd scripts/site && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

step "pages made from other files"
pages=(dotnet fsi scripts/site/pages.fsx)
"${pages[@]}" quickstart docs/quickstart.md
"${pages[@]}" notebook-page notebooks/06-csharp-quickstart.ipynb docs/tutorials/06-csharp-quickstart.md

step "fsdocs build (evaluates docs/tutorials/*.fsx and docs/gallery/*.fsx; the API reference)"
# Trirl.Deep's public API names TorchSharp types: the API reference needs TorchSharp's assembly beside the libraries.
global=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
torchsharp=$(ls "${global%/}"/torchsharp/0.107.0/lib/net*/TorchSharp.dll | sort | tail -n 1)
[[ -f "$torchsharp" ]] || { echo "error: TorchSharp 0.107.0 is not restored (dotnet build restores it)" >&2; exit 1; }
rm -rf .fsdocs "$out"
mkdir -p "$(dirname "$out")"
log=$(mktemp)
marker="https://trirl-site-root.invalid/"
if ! dotnet fsdocs build --input docs --output "$out" --eval --strict --clean \
    --projects "${projects[@]}" --properties Configuration=Release FsDocsGenerateLlmsTxt=false \
    "--fscoptions=-r:$torchsharp" --parameters root "$marker" >"$log" 2>&1; then
  grep -v '^\s*at ' "$log" | tail -n 40
  echo "error: fsdocs build failed (above; the whole log: $log)" >&2
  exit 1
fi
grep -E '^\s+[^ ]+\.fsx: (error|warning)' "$log" || true
# fsdocs leaves out of the API reference what it cannot read; say so.
grep -E '^Could not read comments from entity' "$log" | sed -E "s/^Could not read comments from entity '([^']+)': System.Exception: (.*)/warning: the API reference leaves out \1 (fsdocs: \2)/" || true

step "relative links, plotly.js, the stylesheet, KaTeX, and the check of the evaluated pages"
# Each page's links start with the root marker; a page N folders deep gets N "../" instead.
while IFS= read -r -d '' page; do
  rel=${page#"$out"/}
  prefix=$(awk -F/ '{ for (i = 1; i < NF; i++) printf "../" }' <<<"$rel")
  sed -i "s#${marker}#${prefix}#g" "$page"
done < <(find "$out" -name '*.html' -print0)
"${pages[@]}" unlink-missing "$out"
"${pages[@]}" plotly "$out/content/plotly.min.js"
"${pages[@]}" stylesheet "$out/content/trirl.css"
mkdir -p "$out/content/katex/contrib"
katex=scripts/site/node_modules/katex/dist
cp "$katex/katex.min.css" "$katex/katex.min.js" "$out/content/katex/"
cp "$katex/contrib/auto-render.min.js" "$out/content/katex/contrib/"
cp -R "$katex/fonts" "$out/content/katex/"
"${pages[@]}" check-outputs "$out"
# fsdocs copies a NuGet.config of its own (for notebooks it would make) into the site; the site has no use for it.
rm -rf .fsdocs "$out/NuGet.config"

count=$(find "$out" -name '*.html' | wc -l)
echo "built $count pages in $out ($(( $(date +%s) - start )) s)"
