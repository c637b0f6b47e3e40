/**
 * Presets (issue 8): named starting points for a lecture demo, each a URL hash (src/state/
 * urlState.ts). Choosing one sets `location.hash`; the page's hash reader applies it like any link.
 * Every hash names its method and target (a complete hash: parameters it leaves out take their
 * defaults, and without `h` the step size is the run's default from src/engine/defaults.ts).
 * src/state/presets.test.ts decodes and resolves each one against the registry.
 */

export interface Preset {
  id: string;
  label: string;
  /** One line: what to watch. */
  description: string;
  /** Without '#'. */
  hash: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'svgd-vs-langevin-banana',
    label: 'SVGD vs Langevin on the banana',
    description: 'Deterministic repulsion (left) against noise (right): SVGD spreads evenly along the crescent, Langevin jitters into it.',
    hash: 'method=svgd&target=banana&n=1024&seed=1&cmp=langevin',
  },
  {
    id: 'sinkhorn-checkerboard',
    label: 'Sinkhorn flow draws a checkerboard',
    description: 'Optimal transport toward samples only (no density): the Gaussian cloud is carried onto the 8 squares.',
    hash: 'method=sinkhorn-flow&target=checkerboard&n=2048&seed=1',
  },
  {
    id: 'riesz-svgd-torus',
    label: 'Riesz SVGD on the torus',
    description: 'SVGD with the Riesz kernel on [0,1)²: particles leaving one edge come back on the other; the L2 distance falls on log-log axes.',
    hash: 'method=svgd&m.kernel=riesz&target=torus-mixture&domain=torus&n=1024&seed=1',
  },
  {
    id: 'gwg-25gaussians',
    label: '25 Gaussians with GWG',
    description: 'The generalized Wasserstein gradient on a 5 × 5 grid of narrow modes (a small default step: the modes are steep).',
    hash: 'method=gwg&target=25gaussians&n=1024&seed=1',
  },
  {
    id: 'mala-vs-ula-funnel',
    label: 'MALA vs ULA in the funnel',
    description: "Neal's funnel: the same Langevin step with (left) and without (right) the Metropolis test; watch the acceptance rate and the neck.",
    hash: 'method=langevin&m.mala=true&target=funnel&n=4096&seed=1&cmp=langevin',
  },
  {
    id: 'sinkhorn-vs-mmd-moons',
    label: 'Sinkhorn flow vs MMD flow on two moons',
    description: 'Two flows toward the same samples: transport (left) against kernel attraction and repulsion (right).',
    hash: 'method=sinkhorn-flow&target=moons&n=1024&seed=1&cmp=mmd-flow',
  },
  {
    id: 'energy-flow-pinwheel',
    label: 'Energy-distance flow on the pinwheel',
    description: 'The MMD flow with the energy kernel −|x − y|: no length scale to tune.',
    hash: 'method=mmd-flow&m.kernel=energy&target=pinwheel&n=2048&seed=1',
  },
  {
    id: 'svgd-mixture-drag',
    label: 'Drag a mode: SVGD on a mixture',
    description: 'Drag a component handle on the canvas: the density and the particles follow without a reset.',
    hash: 'method=svgd&target=mixture&n=1024&seed=1',
  },
  {
    id: 'saddle-escape',
    label: 'Saddle escape',
    description: 'The double well from its saddle (F = 1/4): Newton (left) is attracted to it and stays, gradient descent (middle) lingers, then leaves; saddle-free Newton (right) escapes and converges linearly to F = 0. Watch the F, |g| and smallest-eigenvalue plots.',
    hash: 'method=w-newton&target=double-well&n=64&seed=1&cmp=wgd&cmp2=wsfn',
  },
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset whose hash is exactly `hash` (e.g. the page was opened from one), if any. */
export function presetOfHash(hash: string): Preset | undefined {
  const h = hash.replace(/^#/, '');
  return PRESETS.find((p) => p.hash === h);
}
