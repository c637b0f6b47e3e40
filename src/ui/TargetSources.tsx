/**
 * Targets made by the user: an uploaded image (pixel intensity as density) and a density painted
 * on the canvas. Both become the fixed cloud target (TargetDef.data 'points', src/targets/cloud.ts); a score-based method is
 * switched to a sample-based flow (said in the message). Clouds are not put in the URL.
 */
import { useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { Rng, Stream } from '../reference/philox';
import { cloudFromIntensity } from '../targets/image';
import { CLOUD_FACTS } from '../engine/compat';
import { pointsTarget } from '../targets/registry';
import { retarget } from './compat';
import { imageCloud } from './imageTarget';
import type { PaintGrid } from './paint';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
  painting: boolean;
  setPainting: (on: boolean) => void;
  grid: PaintGrid | undefined;
  clearGrid: () => void;
}

/** Make `cloud` the target (switching a score-based method to a sample flow); true when applied. */
export function applyCloudTarget(engine: Engine, cloud: Float64Array, what: string): boolean {
  const config = engine.getSnapshot().config;
  // the registered target built from points (TargetDef.data 'points'), with its facts
  const { change, note } = retarget(config, { id: pointsTarget().id, params: {}, cloud }, CLOUD_FACTS);
  if (!engine.configure(change)) return false;
  engine.say('info', `Target: ${what}, ${(cloud.length / 2).toLocaleString('en-US')} points${note ? ` — ${note}` : ''}. Clouds are not stored in the URL.`);
  return true;
}

export function TargetSources({ engine, snap, painting, setPainting, grid, clearGrid }: Props): React.JSX.Element {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const m = snap.config.targetSamples ?? snap.config.n;

  const onFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setBusy(true);
    try {
      const img = await imageCloud(file, m, snap.config.seed);
      applyCloudTarget(engine, img.cloud, `image '${file.name}' (${img.width}×${img.height}, ${img.darkIsMass ? 'dark' : 'bright'} pixels as mass)`);
    } catch (e) {
      engine.say('error', `${e instanceof Error ? e.message : String(e)} — the current run keeps going`);
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const onUsePainting = (): void => {
    if (!grid || !(grid.mass() > 0)) {
      engine.say('error', 'Use painting: nothing painted yet — turn on Paint density and drag on the canvas');
      return;
    }
    try {
      const cloud = cloudFromIntensity(grid.data, grid.width, grid.height, m, new Rng(snap.config.seed, Stream.sampler), grid.rect);
      if (applyCloudTarget(engine, cloud, 'painted density')) {
        setPainting(false);
        clearGrid();
      }
    } catch (e) {
      engine.say('error', `Use painting: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="panel-section" aria-label="Target from image or painting">
      <h2>Target from an image or a painting</h2>
      <div className="row">
        <label htmlFor="upload-image">Image</label>
        <input
          id="upload-image"
          ref={fileRef}
          type="file"
          accept="image/*"
          aria-label="Upload image"
          disabled={busy}
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </div>
      <div className="transport">
        <button type="button" aria-pressed={painting} className={painting ? 'on' : ''} onClick={() => setPainting(!painting)} aria-label="Paint density">
          Paint
        </button>
        <button type="button" onClick={clearGrid} disabled={!grid} aria-label="Clear painting">
          Clear
        </button>
        <button type="button" onClick={onUsePainting} disabled={!grid} aria-label="Use painting">
          Use painting
        </button>
      </div>
      <p className="hint">
        {painting
          ? 'Paint mode: drag on the canvas to paint where the mass goes, then Use painting.'
          : `Both become a cloud of ${m.toLocaleString('en-US')} points (a sample-based flow runs on it). Sample targets: drag ✛ to move the cloud (or Shift+drag), dots move single clusters.`}
      </p>
    </section>
  );
}
