/** max log p over a coarse grid of the view (plus the mixture means), for the density colour scale. */
import type { TargetInstance } from '../targets/types';
import type { Rect } from './view';

export function densityLogMax(target: TargetInstance, rect: Rect, grid = 64): number {
  const [x0, x1, y0, y1] = rect;
  let best = -Infinity;
  const consider = (x: number, y: number): void => {
    const v = target.logDensity(x, y);
    if (Number.isFinite(v) && v > best) best = v;
  };
  for (let j = 0; j < grid; j++) {
    const y = y0 + ((j + 0.5) / grid) * (y1 - y0);
    for (let i = 0; i < grid; i++) consider(x0 + ((i + 0.5) / grid) * (x1 - x0), y);
  }
  for (const c of target.components ?? []) {
    const [mx, my] = c.mean;
    if (mx >= x0 && mx <= x1 && my >= y0 && my <= y1) consider(mx, my);
  }
  return Number.isFinite(best) ? best : 0;
}
