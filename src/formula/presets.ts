/**
 * The formula gallery (issue 20): densities typed as log pi(x, y) and one landscape typed as V and
 * W, each with its parameters' default values. Data only; src/formula/presets.test.ts checks that
 * each compiles, passes the grid and tail checks and (for densities) has the stated normaliser or
 * mean where one is known.
 */
export interface FormulaPreset {
  id: string;
  label: string;
  /** log pi(x, y) (densities) */
  logp?: string;
  /** V(x, y) and W(x, y) (landscapes) */
  V?: string;
  W?: string;
  /** Default values of the formula's parameters. */
  values: Record<string, number>;
  /** One sentence for the gallery. */
  text: string;
}

export const FORMULA_PRESETS: readonly FormulaPreset[] = [
  {
    id: 'ring', label: 'Ring', logp: '-((x^2 + y^2 - r^2)^2) / w', values: { r: 2, w: 0.5 },
    text: 'A ring of radius r: the score points across the ring and vanishes along it.',
  },
  {
    id: 'banana', label: 'Banana', logp: '-(x / a)^2 / 2 - (y + b (x^2 - a^2))^2 / 2', values: { a: 2, b: 0.5 },
    text: 'A Gaussian bent along the parabola y = -b (x^2 - a^2).',
  },
  {
    id: 'funnel', label: "Neal's funnel", logp: '-y^2 / (2 s^2) - x^2 / (2 exp(y)) - y / 2', values: { s: 1.5 },
    text: 'The width in x grows as e^(y/2): one step size cannot suit both the neck and the mouth.',
  },
  {
    id: 'rosenbrock', label: 'Rosenbrock valley', logp: '-(1 - x)^2 / 2 - k (y - x^2)^2 / 2', values: { k: 10 },
    text: 'A curved narrow valley along y = x^2 (Rosenbrock): slow mixing along the floor.',
  },
  {
    id: 'mixture3', label: '3-mode mixture',
    logp: 'logsumexp(-((x - d)^2 + y^2) / (2 s^2), -((x + d)^2 + y^2) / (2 s^2), -(x^2 + (y - d)^2) / (2 s^2))',
    values: { d: 2.5, s: 0.6 },
    text: 'Three Gaussian modes, written with logsumexp (the stable form of log(exp(a) + exp(b) + exp(c))).',
  },
  {
    id: 'double-well', label: 'Double well (V and W)',
    V: '(x^2 - 1)^2 / 4 + y^2 / 2', W: 'c (x^2 + y^2) / 2', values: { c: 0.5 },
    text: "The built-in double well typed as formulas: wells at (+-1, 0), a strict saddle at 0 (F = 1/4), an attraction c pulling the particles into one well.",
  },
];
