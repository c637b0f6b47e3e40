/**
 * The view controls above the canvas: the "Layers" group (what is drawn) and the "Speed" select
 * (steps per frame). Layers are UI state handed to the renderers; the speed is the engine's.
 */
import { useId } from 'react';
import type { Engine, EngineSnapshot, Speed } from '../engine/Engine';
import type { Layers } from '../render/layers';
import { ARROW_RMS_PX, MAX_ARROWS, MAX_TRAIL, MAX_TRAIL_PARTICLES } from '../render/motion';
import { CommitInput } from './CommitInput';

const SPEED_OPTIONS: { value: string; label: string }[] = [
  { value: 'auto', label: 'auto' },
  { value: '1', label: '1 step / frame' },
  { value: '2', label: '2 steps / frame' },
  { value: '5', label: '5 steps / frame' },
  { value: '10', label: '10 steps / frame' },
  { value: '50', label: '50 steps / frame' },
  { value: 'slow', label: 'slow (1 step / 250 ms)' },
];

export const ARROWS_TOOLTIP =
  `Each arrow is a particle's displacement per step (averaged over the last frame's batch), magnified so ` +
  `that the RMS arrow is about ${ARROW_RMS_PX} px; the factor (rounded to 1-2-5) is in the legend. ` +
  `The first ${MAX_ARROWS} particles only.`;
export const TRAILS_TOOLTIP = `The last k drawn positions of the first ${MAX_TRAIL_PARTICLES} particles (one per frame that stepped), fading with age.`;
export const HISTOGRAMS_TOOLTIP =
  'Marginal histograms of the particles along x (bottom) and y (left), read every 300 ms (the first 65,536 particles), ' +
  "with the target's marginal as a line: exact for Gaussians and mixtures, by quadrature for the other densities, the target samples' histogram for sample targets.";

function parseSpeed(v: string): Speed {
  if (v === 'auto' || v === 'slow') return v;
  const k = Number(v);
  return Number.isFinite(k) && k >= 1 ? k : 'auto';
}

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
  layers: Layers;
  setLayers: (f: (l: Layers) => Layers) => void;
}

export function ViewControls({ engine, snap, layers, setLayers }: Props): React.JSX.Element {
  const ids = { speed: useId(), trail: useId(), bins: useId() };
  const check = (key: 'density' | 'targetSamples' | 'arrows' | 'trails' | 'histograms', label: string, title?: string): React.JSX.Element => (
    <label className="layer-check" title={title}>
      <input type="checkbox" checked={layers[key]} onChange={(e) => setLayers((l) => ({ ...l, [key]: e.target.checked }))} />
      {label}
    </label>
  );
  const speed = String(snap.speed);
  return (
    <div className="stage-toolbar">
      <fieldset className="layers" aria-label="Layers">
        <legend>Layers</legend>
        {check('density', 'Density', 'The target density under the particles (score targets)')}
        {check('targetSamples', 'Target samples', 'The target cloud (sample targets)')}
        {check('arrows', 'Arrows', ARROWS_TOOLTIP)}
        {check('trails', 'Trails', TRAILS_TOOLTIP)}
        {layers.trails ? (
          <span className="layer-num">
            <label htmlFor={ids.trail}>Trail length</label>
            <CommitInput
              id={ids.trail}
              type="number"
              min={2}
              max={MAX_TRAIL}
              step={1}
              value={String(layers.trailLength)}
              onCommit={(raw) => {
                const k = Number(raw);
                if (!Number.isInteger(k) || k < 2 || k > MAX_TRAIL) {
                  engine.say('error', `Trail length: expected a whole number from 2 to ${MAX_TRAIL}, got '${raw}'`);
                  return;
                }
                setLayers((l) => ({ ...l, trailLength: k }));
              }}
            />
          </span>
        ) : null}
        {check('histograms', 'Histograms', HISTOGRAMS_TOOLTIP)}
        {layers.histograms ? (
          <span className="layer-num">
            <label htmlFor={ids.bins}>Bins</label>
            <CommitInput
              id={ids.bins}
              type="number"
              min={4}
              max={400}
              step={1}
              value={String(layers.bins)}
              onCommit={(raw) => {
                const k = Number(raw);
                if (!Number.isInteger(k) || k < 4 || k > 400) {
                  engine.say('error', `Bins: expected a whole number from 4 to 400, got '${raw}'`);
                  return;
                }
                setLayers((l) => ({ ...l, bins: k }));
              }}
            />
          </span>
        ) : null}
      </fieldset>
      <span className="speed">
        <label htmlFor={ids.speed} title="Steps per frame: auto adapts the batch to ~12 ms of GPU work per frame">
          Speed
        </label>
        <select id={ids.speed} value={SPEED_OPTIONS.some((o) => o.value === speed) ? speed : 'auto'} onChange={(e) => engine.setSpeed(parseSpeed(e.target.value))}>
          {SPEED_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <span className="hint">{snap.speed === 'auto' ? `${snap.stepsPerFrame} / frame` : ''}</span>
      </span>
    </div>
  );
}
