#!/usr/bin/env bash
# `npm run bench` on the GPU machine (issue 11 part 2; shared/device/README.md), in two halves.
#
#   here (the project root):  bash scripts/device-bench.sh prepare
#       bundles src/bench/cli.ts into dist-bench/bench.mjs (npm run bench:bundle: one ES module that
#       imports only `webgpu` and Node built-ins) and packs Node + Dawn + the loaders with
#       ../shared/device/prepare.sh into .devcarry/ and .gl/ (git-ignored).
#   on the GPU machine, through the device tool's run, carry [".devcarry", ".gl"], timeout_s 540:
#       bash scripts/device-bench.sh run
#       writes $OUT/bench.json (all suites on the GPU: steps, sinkhorn, pm, flow; GPU timestamps where
#       the adapter has timestamp-query), $OUT/bench-wg.json (the steps suite at workgroup sizes
#       64, 128, 256), $OUT/bench-generators.json (the generators suite: the 8gaussians models' flows on
#       the GPU; generator timings too when prepared with GENERATORS=1, which carries onnxruntime-web's
#       wasm build, ~15 MB, in .devcarry/node_modules; without it the flows chase the cards' S_eps)
#       and $OUT/*.log (the tables). BUDGET_S (default 30) skips configurations
#       estimated to take longer; extra arguments go to the first run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case "${1:-}" in
  prepare)
    npm run -s bench:bundle
    bash ../shared/device/prepare.sh dist-bench/bench.mjs
    if [ "${GENERATORS:-0}" = 1 ]; then
      ort=.devcarry/node_modules/onnxruntime-web
      mkdir -p "$ort/dist"
      cp node_modules/onnxruntime-web/package.json "$ort/"
      cp node_modules/onnxruntime-web/dist/{ort.node.min.js,ort-wasm-simd-threaded.mjs,ort-wasm-simd-threaded.wasm} "$ort/dist/"
      du -sh .devcarry
    fi
    ;;
  run)
    shift
    : "${OUT:?run this through the device tool (it sets OUT)}"
    budget=${BUDGET_S:-30}
    run() { bash .devcarry/on-device.sh node .devcarry/bench.mjs "$@"; }
    run --backends gpu --budget-s "$budget" --out "$OUT/bench.json" "$@" > /dev/null 2> "$OUT/bench.log" || echo "bench exited $?" >> "$OUT/bench.log"
    run --suites steps --backends gpu --methods svgd,langevin --wg 64,128,256 --budget-s "$budget" --out "$OUT/bench-wg.json" > /dev/null 2> "$OUT/bench-wg.log" || echo "bench (wg) exited $?" >> "$OUT/bench-wg.log"
    run --suites generators --backends gpu --gen-max-s 30 --out "$OUT/bench-generators.json" > /dev/null 2> "$OUT/bench-generators.log" || echo "bench (generators) exited $?" >> "$OUT/bench-generators.log"
    tail -n 40 "$OUT/bench.log" "$OUT/bench-wg.log" "$OUT/bench-generators.log"
    ;;
  *)
    echo "usage: bash scripts/device-bench.sh prepare|run [bench options]" >&2
    exit 2
    ;;
esac
