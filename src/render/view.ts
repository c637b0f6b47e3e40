/** The canvas view: world centre + world units per CSS pixel; pure functions, no DOM. */
export interface View {
  cx: number;
  cy: number;
  /** World units per CSS pixel. */
  scale: number;
}

/** [xmin, xmax, ymin, ymax] */
export type Rect = [number, number, number, number];

export function viewRect(v: View, width: number, height: number): Rect {
  const hw = (width * v.scale) / 2;
  const hh = (height * v.scale) / 2;
  return [v.cx - hw, v.cx + hw, v.cy - hh, v.cy + hh];
}

/** The view that shows `rect` whole in a width x height canvas. */
export function fitView(rect: Rect, width: number, height: number): View {
  const [x0, x1, y0, y1] = rect;
  const w = Math.max(width, 1);
  const h = Math.max(height, 1);
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, scale: Math.max((x1 - x0) / w, (y1 - y0) / h) };
}

/** CSS pixel (origin top-left) -> world. */
export function toWorld(v: View, width: number, height: number, px: number, py: number): [number, number] {
  return [v.cx + (px - width / 2) * v.scale, v.cy - (py - height / 2) * v.scale];
}

/** World -> CSS pixel (origin top-left). */
export function toScreen(v: View, width: number, height: number, x: number, y: number): [number, number] {
  return [width / 2 + (x - v.cx) / v.scale, height / 2 - (y - v.cy) / v.scale];
}

/** Zoom by `factor` (> 1 zooms in) keeping the world point under (px, py) fixed. */
export function zoomAt(v: View, width: number, height: number, px: number, py: number, factor: number): View {
  const [wx, wy] = toWorld(v, width, height, px, py);
  const scale = Math.min(Math.max(v.scale / factor, 1e-5), 1e3);
  const k = scale / v.scale;
  return { cx: wx + (v.cx - wx) * k, cy: wy + (v.cy - wy) * k, scale };
}

export function panBy(v: View, dxPx: number, dyPx: number): View {
  return { ...v, cx: v.cx - dxPx * v.scale, cy: v.cy + dyPx * v.scale };
}
