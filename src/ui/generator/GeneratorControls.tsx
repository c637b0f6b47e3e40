/**
 * The side panel's generator section (issue 9): the "Generator" select (none, the shipped models for
 * the current target from models/index.json, the user's own files, "Load .onnx file…"), the file
 * input, which onnxruntime provider runs, "Show map", the S-JKO "JKO step k" slider, the timings
 * (role="status", "Generator timing") and the generator's metrics next to the flow's.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../../engine/Engine';
import type { MetricValues } from '../../metrics/measure';
import { metricsWithValues } from '../../metrics/registry';
import { getTarget } from '../../targets/registry';
import { DistillControls } from './DistillControls';
import { FlowClock, flowTiming, flowWallMs, formatMs, formatRate } from './timing';
import { modelName } from './models';
import type { GeneratorState } from './useGenerator';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
  gen: GeneratorState;
}

const LOAD = 'load';

function targetLabel(id: string): string {
  try {
    return getTarget(id).label;
  } catch {
    return id;
  }
}

const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toExponential(2));

/** Each registered metric the generator's samples have, 'label value', in plot order (no metric named here). */
const metricsLine = (values: MetricValues): string => metricsWithValues(values).map(({ def, value }) => `${def.label} ${fmt(value)}`).join(' · ');

export function GeneratorControls({ engine, snap, gen }: Props): React.JSX.Element {
  const ids = { select: useId(), file: useId(), map: useId(), k: useId(), runtime: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const batch = gen.batch;
  const K = batch ? batch.chain.length - 1 : 0;

  const onSelect = (value: string): void => {
    if (value === LOAD) {
      fileRef.current?.click();
      return;
    }
    gen.choose(value);
  };

  const onFile = (input: HTMLInputElement): void => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void file.arrayBuffer().then(
      (buf) => gen.addModel(new Uint8Array(buf), file.name),
      (e: unknown) => engine.say('error', `${file.name}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };

  // the flow's wall time while playing, observed on each of the engine's snapshots
  const [clockMs, setClockMs] = useState(0);
  useEffect(() => {
    const clock = new FlowClock();
    return engine.subscribe(() => {
      const s = engine.getSnapshot();
      setClockMs(clock.observe(s.step, s.playing, performance.now()));
    });
  }, [engine]);
  const wall = clockMs > 0 ? clockMs : flowWallMs(snap.history.step, snap.history.msPerStep, snap.step, snap.msPerStep);
  const flow = flowTiming(snap.config.n, snap.step, wall);
  const genRate = batch && batch.batchMs > 0 ? (batch.n * 1000) / batch.batchMs : undefined;
  const outputName = batch && gen.step > 0 ? (batch.outputs[gen.step - 1] ?? 'x') : 'z';

  return (
    <section className="panel-section generator-controls" aria-label="Generator controls">
      <h2>One-step generator</h2>
      <div className="row">
        <label htmlFor={ids.select}>Generator</label>
        <select id={ids.select} value={gen.choice} onChange={(e) => onSelect(e.target.value)}>
          <option value="none">none</option>
          {gen.shipped.length > 0 ? (
            <optgroup label={`Shipped for ${targetLabel(snap.config.target.id)}`}>
              {gen.shipped.map((m) => (
                <option key={m.id} value={`shipped:${m.id}`}>
                  {modelName(m)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {gen.users.length > 0 ? (
            <optgroup label="Loaded here">
              {gen.users.map((u) => (
                <option key={u.key} value={`user:${u.key}`}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          <option value={LOAD}>Load .onnx file…</option>
        </select>
      </div>
      <div className="row">
        <label htmlFor={ids.file}>.onnx file</label>
        <input id={ids.file} ref={fileRef} type="file" accept=".onnx,application/octet-stream" aria-label="Load generator .onnx" onChange={(e) => onFile(e.currentTarget)} />
      </div>
      <div className="row">
        <label htmlFor={ids.runtime}>Generator runtime</label>
        <select id={ids.runtime} value={gen.runtime} onChange={(e) => gen.setRuntime(e.target.value === 'wasm' ? 'wasm' : 'webgpu')} title="onnxruntime-web execution provider (WebGPU falls back to wasm where it cannot run)">
          <option value="webgpu">WebGPU (wasm fallback)</option>
          <option value="wasm">wasm</option>
        </select>
      </div>
      {gen.shipped.length === 0 ? <p className="hint">No shipped model for this target: load a .onnx file (input z float32 [B, 2], output x float32 [B, 2]).</p> : null}
      {gen.status ? (
        <p className="hint loading" role="status" aria-label="Generator status">
          Getting the generator ready: {gen.status}
        </p>
      ) : null}
      {gen.problem ? <p className="hint error generator-problem">{gen.problem}</p> : null}
      {gen.provider ? <p className="hint generator-provider">{gen.provider}</p> : null}
      {gen.name ? (
        <>
          <div className="row checkbox-row">
            <input id={ids.map} type="checkbox" checked={gen.showMap} onChange={(e) => gen.setShowMap(e.target.checked)} />
            <label htmlFor={ids.map}>Show map</label>
          </div>
          {K > 1 ? (
            <div className="row">
              <label htmlFor={ids.k}>JKO step k</label>
              <input id={ids.k} type="range" min={0} max={K} step={1} value={gen.step} onChange={(e) => gen.setStep(Number(e.target.value))} aria-valuetext={`k = ${gen.step} of ${K} (${outputName})`} />
              <output htmlFor={ids.k}>
                {gen.step} / {K}
              </output>
            </div>
          ) : null}
          <div className="generator-timing" role="status" aria-label="Generator timing">
            <div>
              Flow: {snap.config.n.toLocaleString('en-US')} samples after {snap.step.toLocaleString('en-US')} steps in {flow ? formatMs(flow.wallMs) : '—'} ={' '}
              <strong>{flow ? formatRate(flow.samplesPerSec) : '—'} samples/s</strong> ({flow ? formatRate(flow.particleStepsPerSec) : '—'} particle-steps/s)
            </div>
            <div>
              Generator: {batch ? batch.n.toLocaleString('en-US') : '—'} samples in one call of {batch ? formatMs(batch.batchMs) : '—'} ={' '}
              <strong>{genRate !== undefined ? formatRate(genRate) : '—'} samples/s</strong> · CPU copy {batch ? formatMs(batch.copyMs) : '—'}
              {batch ? ` · first call ${formatMs(batch.firstMs)}` : ''}
            </div>
            {batch && batch.n < snap.config.n ? <div>(the generator draws at most {batch.n.toLocaleString('en-US')} samples)</div> : null}
          </div>
          {gen.metrics ? (
            <p className="hint generator-metrics">
              Generator vs the flow's reference: {metricsLine(gen.metrics)}
            </p>
          ) : null}
        </>
      ) : null}
      {/* Distill now: its model comes back through the same validation path as a loaded file */}
      <DistillControls engine={engine} snap={snap} onModel={gen.addModel} />
    </section>
  );
}
