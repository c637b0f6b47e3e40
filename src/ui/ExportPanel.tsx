/**
 * Recording and export. Positions are read back only at every k-th step while "Record every" is
 * on; Export encodes the frames in chunks (yielding to the event loop, with a progress bar) and
 * downloads them through a Blob URL. An NPY export comes with its steps sidecar
 * (`<name>.steps.json`: the steps of its frames and the run's meta, src/io/npySidecar.ts); a
 * recording turned on after step 0 starts with the step-0 frame (src/engine/recorder.ts).
 * "Export config" downloads the run's configuration as JSON (with "Record every"); "Import config"
 * reads such a file back into the run (src/state/configFile.ts: read as a link, the same rules).
 * "Screenshot" saves a PNG of the canvas (density, particles, arrows, trails, histograms);
 * "Record video" records a WebM of the canvas (MediaRecorder, offline) until "Stop recording".
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { drainChunks } from '../io/chunks';
import { encodeNpySidecar, npySidecarName } from '../io/npySidecar';
import { mimeType, trajectoryChunks, type TrajectoryFormat } from '../io/trajectory';
import { applyConfigFile, ConfigFileError, importMessage, readConfigFile } from '../state/configFile';
import { CommitInput } from './CommitInput';
import { currentCanvas, MAX_VIDEO_S, screenshotPng, VideoRecording } from './media';
import { sayLink } from './messages';
import { specLookup } from './specs';

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
  const importRef = useRef<HTMLInputElement>(null);

  const stem = `wgf-${snap.config.method}-${snap.config.target.id}-n${snap.config.n}`;
  const [video, setVideo] = useState<VideoRecording | undefined>(undefined);
  const [videoS, setVideoS] = useState(0);
  const [saving, setSaving] = useState(false);

  const onScreenshot = async (): Promise<void> => {
    try {
      const { blob } = await screenshotPng();
      download([blob], 'image/png', `${stem}-step${snap.step}.png`);
    } catch (e) {
      engine.say('error', `Screenshot failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const stopVideo = async (rec: VideoRecording): Promise<void> => {
    setVideo(undefined);
    setSaving(true);
    try {
      const blob = await rec.stop();
      download([blob], 'video/webm', `${stem}-${rec.seconds.toFixed(0)}s.webm`);
    } catch (e) {
      engine.say('error', `Video failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const onRecordVideo = (): void => {
    const canvas = currentCanvas();
    if (!canvas) return;
    try {
      setVideo(new VideoRecording(canvas));
      setVideoS(0);
    } catch (e) {
      engine.say('error', `Video: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // progress: recording seconds; stops by itself after MAX_VIDEO_S
  useEffect(() => {
    if (!video) return;
    const id = window.setInterval(() => {
      setVideoS(video.seconds);
      if (video.seconds >= MAX_VIDEO_S || !video.recording) void stopVideo(video);
    }, 200);
    return () => clearInterval(id);
    // stopVideo only reads the recording handed to it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [video]);

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
      const name = `${stem}-${rec.steps.length}frames.${format}`;
      download(parts, mimeType(format), name);
      // an .npy holds one array: which step each frame is, and the run's meta, go beside it
      if (format === 'npy') download([encodeNpySidecar(name, meta, rec.steps, rec.n)], 'application/json', npySidecarName(name));
    } catch (e) {
      engine.say(controller.signal.aborted ? 'info' : 'error', `Export ${controller.signal.aborted ? 'cancelled' : `failed: ${e instanceof Error ? e.message : String(e)}`}`);
    } finally {
      abortRef.current = undefined;
      setProgress(undefined);
    }
  };

  const onImportConfig = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    input.value = ''; // the same file again is a new import
    if (!file) return;
    try {
      const r = readConfigFile(await file.text(), specLookup, engine.getSnapshot().config);
      applyConfigFile(engine, r);
      sayLink(engine, importMessage(file.name, r));
    } catch (e) {
      const why = e instanceof ConfigFileError ? e.message : `cannot read it (${e instanceof Error ? e.message : String(e)})`;
      engine.say('error', `Import config ${file.name}: ${why}; nothing was changed`);
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
        {format === 'npy' ? ' NPY comes with a .steps.json beside it: the step of each frame and the run.' : ''}
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
        <button type="button" onClick={() => download([JSON.stringify({ ...engine.configJson(), recordEvery: snap.recordEvery }, null, 2)], 'application/json', `${stem}-config.json`)}>
          Export config
        </button>
        <button type="button" onClick={() => importRef.current?.click()} title="Run the configuration of a file saved with Export config">
          Import config
        </button>
        <input ref={importRef} type="file" accept=".json,application/json" hidden aria-label="Import config file" onChange={(e) => void onImportConfig(e.currentTarget)} />
        {progress !== undefined ? (
          <button type="button" onClick={() => abortRef.current?.abort()}>
            Cancel
          </button>
        ) : null}
      </div>
      {progress !== undefined ? <progress aria-label="Export progress" max={1} value={progress} /> : null}
      <h2>Picture &amp; video</h2>
      <div className="transport">
        <button type="button" onClick={() => void onScreenshot()} title="A PNG of the canvas as shown: density, samples, particles, arrows, trails, histograms">
          Screenshot
        </button>
        {video ? (
          <button type="button" className="recording" onClick={() => void stopVideo(video)}>
            Stop recording
          </button>
        ) : (
          <button type="button" onClick={onRecordVideo} disabled={saving} title={`A WebM video of the canvas (at most ${MAX_VIDEO_S} s)`}>
            Record video
          </button>
        )}
      </div>
      {video || saving ? (
        <p className="hint" role="status" aria-label="Video recording">
          {video ? `Recording video: ${videoS.toFixed(1)} s` : 'Saving the video...'}
        </p>
      ) : null}
    </section>
  );
}
