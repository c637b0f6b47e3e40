/**
 * Import boundaries (issue 7): numerics never reach the UI or the renderer, the engine never reaches the UI,
 * kernels never draw, the CLI never loads browser code. `npm run lint:deps` (part of `npm test`) fails on any.
 */
const rule = (name, from, to, comment) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

/**
 * Layers, lowest first (issue 18: no folder cycles). A module may import its own folder and any folder
 * listed before it, never one after it. Tests are exempt: a test may drive the code through a higher layer (e.g. the CLI).
 */
const LAYERS = ['core', 'platform', 'io', 'reference', 'gpu', 'kernels', 'ot', 'formula', 'nd', 'landscapes', 'targets', 'metrics', 'methods', 'engine', 'generators', 'render', 'state', 'ui', 'cli', 'fuzz', 'bench'];
const layerPath = (l) => `^src/${l}/`;
const layerRules = LAYERS.slice(0, -1).map((l, i) => ({
  name: `layer-${l}`,
  comment: `${l} sits below ${LAYERS.slice(i + 1).join(', ')}: it imports none of them`,
  severity: 'error',
  from: { path: layerPath(l), pathNot: '\\.test\\.tsx?$' },
  to: { path: LAYERS.slice(i + 1).map(layerPath).join('|') },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    rule('bench-on-the-library', '^src/bench/(?!.*\\.test\\.ts$)', '^src/cli/', 'benchmarks use the library (engine, methods), never the CLI'),
    {
      name: 'bench-not-internals',
      comment:
        'issue 18 item 4: benchmarks time the library through the engine, the registries and the documented exports of a method or ' +
        'solver module ("for benchmarks and scripts": methods/svgd createRieszStep, methods/wNewton newtonPieces, methods/sinkhornFlow ' +
        'sinkhornFlowPasses, ot/sinkhorn + ot/gpuSinkhorn), never kernels/, landscapes/, the float64 twins of reference/ (the seeded ' +
        'generator reference/philox, which the targets\' samplers take, is allowed) or the flow\'s solver internals in ot/',
      severity: 'error',
      from: { path: '^src/bench/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(kernels|landscapes)/|^src/reference/(?!philox\\.ts$)|^src/ot/(?!(sinkhorn|gpuSinkhorn)\\.ts$)' },
    },
    {
      name: 'every-folder-is-a-layer',
      comment: 'a new folder under src/ gets its place in LAYERS',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})/` },
    },
    rule('reference-is-pure', '^src/reference/', '^src/(gpu|ui|render|engine|kernels)/', 'float64 twins: no GPU, UI, renderer or engine'),
    rule('engine-not-ui', '^src/engine/', '^src/ui/', 'the engine has no React and no UI wording'),
    rule('numerics-not-ui', '^src/(methods|targets|kernels|metrics|ot|landscapes|reference|gpu)/', '^src/(ui|state)/', 'numerics import nothing from ui/ or state/'),
    rule('kernels-not-render', '^src/(kernels|methods|metrics|ot|landscapes)/', '^src/render/', 'kernels record compute passes; drawing lives in render/'),
    rule('render-not-engine-classes', '^src/render/', '^src/engine/(gpuSimulation|cpuSimulation|Engine)', 'render depends on an interface, not the concrete simulations'),
    rule('cli-not-browser', '^src/(cli|bench)/', '^src/(ui|render|state)/', 'the CLI and benchmarks are Node: no UI, renderer or URL state'),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, pathNot: '\\.(wgsl|css)\\?raw$|\\?raw$|\\?url$|\\?worker$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
