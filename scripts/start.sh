#!/usr/bin/env bash
# The run command (README): install dependencies if needed, build, serve on http://localhost:5173
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx vite build --logLevel warn
echo "WGF Playground: open http://localhost:5173/"
exec npx vite preview --port 5173 --strictPort --host 127.0.0.1
