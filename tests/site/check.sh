#!/usr/bin/env bash
# The site suite of .ci/run: builds the documentation site (bash scripts/site.sh) and checks it in Debian's headless
# chromium with the network cut (node tests/site/check.mjs: every page loads without a console error, every chart
# draws, every internal link resolves).
#
#   bash tests/site/check.sh [--no-build] [--site DIR]
#
# --no-build is passed to scripts/site.sh (the solution is built already); --site DIR checks a built site as it is,
# without building it. Needs chromium (apt-get install chromium; .ci/run installs it) and Node.js with npm
# (playwright-core, no browser download). The last line is "site: P passed, F failed" (one test per page; a failed
# build counts as one failure).
set -uo pipefail
cd "$(dirname "$0")/../.."
build_args=()
site=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build_args+=(--no-build) ;;
    --site) site=${2:?--site needs a folder}; shift ;;
    *) echo "error: unknown argument $1 (usage: bash tests/site/check.sh [--no-build] [--site DIR])" >&2; echo "site: 0 passed, 1 failed"; exit 2 ;;
  esac
  shift
done

if [[ -z "$site" ]]; then
  site=artifacts/site
  if ! bash scripts/site.sh "${build_args[@]}" --out "$site"; then
    echo "FAILED building the site (bash scripts/site.sh, above)"
    echo "site: 0 passed, 1 failed"
    exit 1
  fi
fi
if ! (cd tests/site && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "FAILED npm ci in tests/site (playwright-core)"
  echo "site: 0 passed, 1 failed"
  exit 1
fi
node tests/site/check.mjs "$site"
