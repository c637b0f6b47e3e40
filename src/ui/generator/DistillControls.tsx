/**
 * "Distill now" (issue 9): train a W-Flow generator on the current target in a Web Worker
 * (src/generators/distillClient.ts), with a progress bar and Cancel, then hand the ONNX bytes to
 * the Generator control (onModel) and offer them as a download (wflow-<target>.onnx).
 *
 * The target's samples come from src/generators/targetCloud.ts (its cloud, its exact sampler, or
 * its density on a grid over the view), drawn here when the button is pressed (a few ms), seeded
 * by the run's seed. The flow keeps running meanwhile: training never touches the main thread.
 * A second press while a distill runs does nothing (the button is disabled and the client runs
 * one job at a time); unmounting cancels the job and terminates the worker.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Engine } from '../../engine/Engine';
import { DISTILL_MAX_STEPS, DISTILL_POINTS, DISTILL_STEPS, distillFileName, type DistillCard, type DistillProgress } from '../../generators/distill';
import { DistillClient, type DistillJob } from '../../generators/distillClient';
import { targetCloud } from '../../generators/targetCloud';
import { distillCancelledText, distillDoneText, distillErrorText, distillProgressText } from '../messages';

type Snapshot = ReturnType<Engine['getSnapshot']>;

type State =
  | { kind: 'idle' }
  | { kind: 'running'; progress: DistillProgress }
  | { kind: 'done'; card: DistillCard }
  | { kind: 'cancelled'; step: number; steps: number }
  | { kind: 'error'; message: string };

export function DistillControls(props: { engine: Engine; snap: Snapshot; onModel: (bytes: Uint8Array, name: string) => void }): React.JSX.Element {
  const { snap, onModel } = props;
  const ids = { steps: useId() };
  const [stepsText, setStepsText] = useState(String(DISTILL_STEPS));
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [file, setFile] = useState<{ url: string; name: string } | undefined>(undefined);
  const client = useRef<DistillClient | undefined>(undefined);
  const job = useRef<DistillJob | undefined>(undefined);
  const mounted = useRef(true);
  const onModelRef = useRef(onModel);
  useEffect(() => {
    onModelRef.current = onModel;
  }, [onModel]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      client.current?.destroy();
      client.current = undefined;
    };
  }, []);
  // the previous download's Blob URL is released when a new one replaces it (and on unmount)
  useEffect(() => {
    if (!file) return;
    return () => URL.revokeObjectURL(file.url);
  }, [file]);

  const running = state.kind === 'running';

  const onDistill = (): void => {
    if (job.current?.running) return;
    const steps = Number(stepsText);
    if (!(Number.isInteger(steps) && steps >= 1 && steps <= DISTILL_MAX_STEPS)) {
      setState({ kind: 'error', message: `Distill steps: expected a whole number from 1 to ${DISTILL_MAX_STEPS}, got '${stepsText}'` });
      return;
    }
    const target = snap.target;
    const name = snap.config.target.id;
    let cloud: Float64Array;
    try {
      if (!target) throw new Error('the target is not ready yet');
      cloud = targetCloud(target, DISTILL_POINTS, snap.config.seed).points;
    } catch (e) {
      setState({ kind: 'error', message: distillErrorText(e) });
      return;
    }
    client.current ??= new DistillClient();
    const j = client.current.start({ cloud, target: name, steps, seed: snap.config.seed }, (progress) => {
      if (mounted.current) setState({ kind: 'running', progress });
    });
    job.current = j;
    setState({ kind: 'running', progress: { step: 0, steps, loss: NaN, elapsedMs: 0 } });
    j.result.then(
      (out) => {
        if (!mounted.current) return;
        if (out.kind === 'cancelled') {
          setState({ kind: 'cancelled', step: out.step, steps: out.steps });
          return;
        }
        const blob = new Blob([out.bytes.slice()], { type: 'application/octet-stream' });
        setFile({ url: URL.createObjectURL(blob), name: distillFileName(name) });
        setState({ kind: 'done', card: out.card });
        onModelRef.current(out.bytes, `Distilled (wflow, ${name})`);
      },
      (e: unknown) => {
        if (mounted.current) setState({ kind: 'error', message: distillErrorText(e) });
      },
    );
  };

  const progress = state.kind === 'running' ? state.progress : undefined;
  return (
    <div className="distill" aria-label="Distill">
      <div className="row">
        <label htmlFor={ids.steps}>Distill steps</label>
        <input id={ids.steps} type="number" min={1} max={DISTILL_MAX_STEPS} step={1} value={stepsText} disabled={running} onChange={(e) => setStepsText(e.target.value)} />
      </div>
      <div className="transport">
        <button type="button" onClick={onDistill} disabled={running} title="Train a W-Flow generator on the current target in a background worker (the flow keeps running)">
          Distill now
        </button>
        {running ? (
          <button type="button" onClick={() => job.current?.cancel()}>
            Cancel distill
          </button>
        ) : null}
        {file && !running ? (
          <a className="button-link" href={file.url} download={file.name} aria-label="Download distilled .onnx">
            Download .onnx
          </a>
        ) : null}
      </div>
      {progress ? (
        <>
          <progress aria-label="Distill progress" max={progress.steps} value={progress.step} />
          <p className="hint" role="status" aria-label="Distill status">
            {distillProgressText(progress)}
          </p>
        </>
      ) : null}
      {state.kind === 'done' ? (
        <p className="hint" role="status" aria-label="Distill status">
          {distillDoneText(state.card)}
        </p>
      ) : null}
      {state.kind === 'cancelled' ? (
        <p className="hint" role="status" aria-label="Distill status">
          {distillCancelledText(state.step, state.steps)}
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="hint error" role="alert" aria-label="Distill status">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
