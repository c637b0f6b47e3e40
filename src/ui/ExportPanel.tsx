/**
 * Recording and export. Positions are read back only at every k-th step while "Record every" is
 * on; Export encodes the frames in chunks (yielding to the event loop, with a progress bar) and
 * downloads them through a Blob URL. "Export config" downloads the run's configuration as JSON.
 */
import { useId, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { drainChunks } from '../io/chunks';
import { mimeType, trajectoryChunks, type TrajectoryFormat } from '../io/trajectory';
import { CommitInput } from './CommitInput';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
}

function download(parts: BlobPart[], type: string, name: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPanel({ engine, snap }: Props): React.JSX.Element {
  const ids = { every: useId(), format: useId() };
  const [format, setFormat] = useState<TrajectoryFormat>('npy');
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const abortRef = useRef<AbortController | undefined>(undefined);

  const stem = `wgf-${snap.config.method}-${snap.config.target.id}-n${snap.config.n}`;

  const onExport = async (): Promise<void> => {
    const rec = await engine.takeRecording();
    if (!rec) return;
    const controller = new AbortController();
    abortRef.current = controller;
    setProgress(0);
    try {
      const frames = new Float32Array(rec.frames.length * rec.n * 2);
      rec.frames.forEach((f, i) => frames.set(f, i * rec.n * 2));
      const meta = { config: rec.config, backend: rec.backend, n: rec.n, frames: rec.steps.length, recordEvery: snap.recordEvery };
      const parts = await drainChunks(trajectoryChunks(format, frames, rec.steps, rec.n, meta), {
        onProgress: (f) => setProgress(f),
        signal: controller.signal,
      });
      download(parts, mimeType(format), `${stem}-${rec.steps.length}frames.${format}`);
    } catch (e) {
      engine.say(controller.signal.aborted ? 'info' : 'error', `Export ${controller.signal.aborted ? 'cancelled' : `failed: ${e instanceof Error ? e.message : String(e)}`}`);
    } finally {
      abortRef.current = undefined;
      setProgress(undefined);
    }
  };

  return (
    <section className="panel-section" aria-label="Export">
      <h2>Record &amp; export</h2>
      <div className="row">
        <label htmlFor={ids.every}>Record every</label>
        <CommitInput
          id={ids.every}
          type="number"
          min={0}
          step={1}
          value={String(snap.recordEvery)}
          onCommit={(raw) => {
            const k = Number(raw);
            if (!Number.isInteger(k) || k < 0) {
              engine.say('error', `Record every: expected a whole number of steps (0 = off), got '${raw}'`);
              return;
            }
            engine.setRecordEvery(k);
          }}
        />
      </div>
      <p className="hint">
        {snap.recordEvery > 0
          ? `Recording every ${snap.recordEvery} steps: ${snap.recordedFrames} frames`
          : 'Recording off (0): Export saves the current positions as one frame.'}
      </p>
      <div className="row">
        <label htmlFor={ids.format}>Format</label>
        <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value === 'csv' ? 'csv' : e.target.value === 'json' ? 'json' : 'npy')}>
          <option value="npy">NPY float32 [frames, N, 2]</option>
          <option value="csv">CSV step,particle,x,y</option>
          <option value="json">JSON meta + frames</option>
        </select>
      </div>
      <div className="transport">
        <button type="button" onClick={() => void onExport()} disabled={progress !== undefined}>
          Export
        </button>
        <button type="button" onClick={() => download([JSON.stringify(engine.configJson(), null, 2)], 'application/json', `${stem}-config.json`)}>
          Export config
        </button>
        {progress !== undefined ? (
          <button type="button" onClick={() => abortRef.current?.abort()}>
            Cancel
          </button>
        ) : null}
      </div>
      {progress !== undefined ? <progress aria-label="Export progress" max={1} value={progress} /> : null}
    </section>
  );
}
