#!/usr/bin/env bash
# The test command (README): installs what a fresh Debian machine lacks, then runs every check.
#   - Debian's chromium (the e2e browser, and its SwiftShader Vulkan driver for WebGPU in Node)
#   - libvulkan1 (the Vulkan loader Dawn needs)
#   - python3-numpy (src/io/io.test.ts checks that numpy.load reads our NPY files; it fails without numpy)
#   - npm ci
# then: types, lint (ESLint) and import boundaries (dependency-cruiser), unit + GPU kernel tests (vitest, Dawn on SwiftShader), production build, e2e (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libvulkan.so.1' || missing+=(libvulkan1)
python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p test-results
npx tsc --noEmit -p tsconfig.json
echo "typecheck: ok"
npx eslint . --max-warnings 0
echo "lint: ok"
npx depcruise src --config .dependency-cruiser.cjs
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
npx vite build --logLevel warn
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/e2e.json npx playwright test --reporter=list,json
node scripts/summary.mjs test-results/vitest.json test-results/e2e.json
