/**
 * The canvas legend: one line per layer shown (particles, target samples, density, handles,
 * arrows with their magnification, trails, histograms), in the top-right corner, semi-transparent,
 * collapsible (the particles stay visible around it; it ignores the pointer except its button).
 */
import { useState } from 'react';
import type { Layers } from '../render/layers';
import { arrowMagnification } from '../render/motion';
import { ARROWS_TOOLTIP, HISTOGRAMS_TOOLTIP, TRAILS_TOOLTIP } from './Layers';

interface Props {
  layers: Layers;
  n: number;
  sampleOnly: boolean;
  /** An energy landscape (the shade is V, not a density). */
  landscape?: boolean;
  /** Which handles the pane shows (none in the compared pane): a target's declared editor (TargetDef.editor) or the samples' cloud handle. */
  handles: HandlesLegend | undefined;
  /** RMS displacement per step (world units) from the last sample, for the arrow factor. */
  rmsStep: number | undefined;
  /** World units per CSS pixel. */
  scale: number;
}

/** The handles on the canvas: components, wells (with the editor's own words), or the cloud / cluster handles of target samples. */
export type HandlesLegend = { kind: 'components' } | { kind: 'wells'; text: string } | { kind: 'samples' };

function fmtFactor(v: number): string {
  return v >= 1e4 || v < 1e-2 ? v.toExponential(0) : String(v);
}

export function Legend({ layers, n, sampleOnly, landscape = false, handles, rmsStep, scale }: Props): React.JSX.Element {
  const [open, setOpen] = useState(true);
  const mag = arrowMagnification(rmsStep, scale);
  return (
    <div className={`canvas-legend${open ? '' : ' closed'}`} aria-label="Canvas legend" role="group">
      <button type="button" className="legend-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} title={open ? 'Hide the legend' : 'Show the legend'}>
        Legend {open ? '▾' : '▸'}
      </button>
      {open ? (
        <ul>
          <li>
            <span className="sw sw-particle" /> particles ({n.toLocaleString('en-US')})
          </li>
          {sampleOnly && layers.targetSamples ? (
            <li>
              <span className="sw sw-sample" /> target samples
            </li>
          ) : null}
          {landscape && layers.density ? (
            <li title="The potential V of F(rho) = int V drho + 1/2 int int W drho drho (V is F's first variation at a point mass, up to W's term, which depends on the particles)">
              <span className="sw sw-density" /> energy V (bright: low, dark: high; 12 level lines)
            </li>
          ) : null}
          {!sampleOnly && !landscape && layers.density ? (
            <li>
              <span className="sw sw-density" /> target density (sqrt scale, level lines 1 nat)
            </li>
          ) : null}
          {handles?.kind === 'components' ? (
            <li>
              <span className="sw sw-handle" /> component handles (drag; 1-sigma ellipses)
            </li>
          ) : null}
          {handles?.kind === 'wells' ? (
            <li>
              <span className="sw sw-handle" /> {handles.text}
            </li>
          ) : null}
          {handles?.kind === 'samples' ? (
            <li>
              <span className="sw sw-handle sw-cloud" /> cloud / cluster handles (drag, Shift+drag)
            </li>
          ) : null}
          {layers.arrows ? (
            <li title={ARROWS_TOOLTIP}>
              <span className="sw sw-arrow" /> displacement per step {mag !== undefined ? `x ${fmtFactor(mag)}` : '(measuring...)'}
            </li>
          ) : null}
          {layers.trails ? (
            <li title={TRAILS_TOOLTIP}>
              <span className="sw sw-trail" /> trails: last {layers.trailLength} positions
            </li>
          ) : null}
          {layers.histograms ? (
            <li title={HISTOGRAMS_TOOLTIP}>
              <span className="sw sw-hist" /> marginals: particles (bars), target (line{sampleOnly ? ', dashed: samples' : ''})
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
