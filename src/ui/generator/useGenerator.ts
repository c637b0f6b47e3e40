/**
 * The generator beside the flow (issue 9), as one React hook: which model is chosen, its onnxruntime
 * session (loaded lazily, src/generators/browserOrt.ts), its samples for the flow's N and seed (noise
 * z = sampleNoise(seed, N), the same noise `wgf sample --seed` draws), the S-JKO chain, the map, the
 * timings, and its metrics against the same reference the flow is measured on.
 *
 * Nothing here touches the running flow: a refused file (readGeneratorModel, before ort is even
 * loaded) only sets `error`, shown in the panel's own alert.
 *
 * Every call into onnxruntime goes through its module's queue (src/generators/runtime.ts ortQueue),
 * so a session released while its batch is in flight (the choice changed, a distilled model came
 * back) is released after that call, never during it; a batch whose session went away stops quietly
 * (GeneratorReleasedError). While a generator becomes ready the page says which phase it is in and
 * for how long (`status`). Samples that are not finite are never drawn silently: the page says how
 * many (`problem` and a message), and the metrics are not computed from them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineSnapshot } from '../../engine/Engine';
import { sampleNoise } from '../../generators/model';
import { openBrowserGenerator, phaseText, providerText, type OrtProvider } from '../../generators/browserOrt';
import { readGeneratorModel } from '../../generators/onnx';
import { GeneratorReleasedError, type OnnxGenerator } from '../../generators/runtime';
import { GeneratorMetricsClient } from '../../generators/browserMetrics';
import { CancelledError } from '../../platform/worker/protocol';
import type { MetricValues } from '../../metrics/measure';
import { methods } from '../../methods/registry';
import { DEFAULT_GRID, gridPoints, gridPolylines } from './mapGrid';
import { fetchModelBytes, loadModelIndex, modelName, modelsFor, targetOutliers, type ShippedModel } from './models';

/** At most this many generator samples (the flow may run millions; one batch of 1M is ~8 MB each way). */
export const GENERATOR_MAX_N = 1 << 20;
/** Map segments z -> G(z) drawn. */
export const MAP_SEGMENTS = 100;

export interface UserModel {
  key: string;
  name: string;
  bytes: Uint8Array;
}

export interface GeneratorBatch {
  n: number;
  seed: number;
  /** chain[0] = z, chain[k] = x_k, chain[K] = x (one entry after z for a one-step model). */
  chain: Float64Array[];
  /** The chain's output names, k = 1..K. */
  outputs: string[];
  /** The deformed grid: G applied to the z grid's polylines. */
  grid: Float64Array[];
  /** ms of one batch call (ort's run, its own transfers included), the second at this size. */
  batchMs: number;
  /** ms of the first call at this size (WebGPU shader compilation and allocation included). */
  firstMs: number;
  /** ms to copy the batch's outputs into the page's float64 arrays (drawing, metrics). */
  copyMs: number;
  /** Samples of x (the last output) that are NaN or +-Inf: not drawn, and said so. */
  nonFinite: number;
}

/** How many of the n points (interleaved x, y) have a coordinate that is NaN or +-Inf. */
export function countNonFinite(points: ArrayLike<number>): number {
  let bad = 0;
  for (let i = 0; i + 1 < points.length; i += 2) if (!(Number.isFinite(points[i] ?? NaN) && Number.isFinite(points[i + 1] ?? NaN))) bad++;
  return bad;
}

/** The page's words for a batch with non-finite samples (undefined when all are finite). */
export function nonFiniteText(nonFinite: number, n: number): string | undefined {
  if (nonFinite === 0) return undefined;
  const what = nonFinite === n ? `all ${n.toLocaleString('en-US')} samples are` : `${nonFinite.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} samples are`;
  return `${what} not finite (NaN or ±Inf): the model's output overflows or its weights are broken; ${nonFinite === n ? 'nothing is drawn' : 'those are not drawn'} and no metrics are computed`;
}

export interface GeneratorState {
  /** The select's value: 'none', 'shipped:<id>' or 'user:<key>' (a shipped choice follows the target, see resolveChoice). */
  choice: string;
  shipped: ShippedModel[];
  users: UserModel[];
  name: string | undefined;
  loading: boolean;
  /** While the generator becomes ready: what is happening and for how long ("creating the WebGPU session · 4 s"). */
  status: string | undefined;
  /** What is wrong with the drawn batch (non-finite samples), shown on the pane and in the panel. */
  problem: string | undefined;
  provider: string | undefined;
  batch: GeneratorBatch | undefined;
  metrics: MetricValues | undefined;
  /** Show the map (deformed grid and z -> G(z) segments). */
  showMap: boolean;
  setShowMap: (on: boolean) => void;
  /** S-JKO: the chain step drawn, 0 (the noise) .. K; K for a one-step model. */
  step: number;
  setStep: (k: number) => void;
  /** The execution provider tried first: 'webgpu' (falls back to wasm) or 'wasm'. */
  runtime: OrtProvider;
  setRuntime: (p: OrtProvider) => void;
  choose: (value: string) => void;
  /** A user's file or a distilled model: validated like any other, then chosen. */
  addModel: (bytes: Uint8Array, name: string) => void;
}

interface Session {
  key: string;
  name: string;
  generator: OnnxGenerator;
  provider: OrtProvider;
  text: string;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function pageBase(): string {
  return typeof document !== 'undefined' ? document.baseURI : 'http://localhost/';
}

/**
 * The choice in force for the current target's models: a shipped model of another target becomes the
 * same kind of model (method and label, e.g. "UOTM (kl)") for this one, or 'none' where there is none;
 * user files and distilled models are kept.
 */
export function resolveChoice(choice: string, shipped: readonly ShippedModel[], all: readonly ShippedModel[]): string {
  if (!choice.startsWith('shipped:')) return choice;
  const id = choice.slice('shipped:'.length);
  if (shipped.some((m) => m.id === id)) return choice;
  const was = all.find((m) => m.id === id);
  const next = was ? shipped.find((m) => m.method === was.method && m.label === was.label) : undefined;
  return next ? `shipped:${next.id}` : 'none';
}

/**
 * `pick`: where the choice is kept. The page passes engine.setGenerator: the choice is then the
 * engine snapshot's `generator`, so that the URL carries it (`gen=`, src/state/urlState.ts) and a
 * link sets it (src/state/link.ts). Without it (tests), the choice is kept here.
 */
export function useGenerator(snap: EngineSnapshot, onError: (text: string) => void, pick?: (choice: string) => void): GeneratorState {
  const [shippedAll, setShippedAll] = useState<ShippedModel[]>([]);
  const [indexLoaded, setIndexLoaded] = useState(false);
  const [users, setUsers] = useState<UserModel[]>([]);
  const [localPick, setLocalPick] = useState('none');
  const pickRef = useRef(pick);
  useEffect(() => {
    pickRef.current = pick;
  });
  const picked = pick ? (snap.generator ?? 'none') : localPick;
  const setPicked = useCallback((value: string) => {
    if (pickRef.current) pickRef.current(value);
    else setLocalPick(value);
  }, []);
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [batchFor, setBatchFor] = useState<{ session: Session; batch: GeneratorBatch } | undefined>(undefined);
  const [metricsFor, setMetricsFor] = useState<{ batch: GeneratorBatch; values: MetricValues | undefined } | undefined>(undefined);
  const [showMap, setShowMap] = useState(false);
  const [step, setStep] = useState(Number.POSITIVE_INFINITY);
  const [runtime, setRuntime] = useState<OrtProvider>('webgpu');
  // what the page waits for (open phases, then the first batch), since when
  const [phase, setPhase] = useState<{ key: string; text: string; since: number } | undefined>(undefined);
  const [now, setNow] = useState(() => performance.now());
  const userCount = useRef(0);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });

  useEffect(() => {
    let live = true;
    void loadModelIndex(pageBase()).then((m) => {
      if (!live) return;
      setShippedAll(m);
      setIndexLoaded(true);
    });
    return () => {
      live = false;
    };
  }, []);

  const targetId = snap.config.target.id;
  const outliers = targetOutliers(snap.config.target.params);
  const shipped = useMemo(() => modelsFor(shippedAll, targetId, outliers), [shippedAll, targetId, outliers]);
  const choice = resolveChoice(picked, shipped, shippedAll);

  // a link's `gen=` naming no shipped model: said, and none chosen (never a silent fallback)
  useEffect(() => {
    if (!indexLoaded || !picked.startsWith('shipped:')) return;
    const id = picked.slice('shipped:'.length);
    if (shippedAll.some((m) => m.id === id)) return;
    onErrorRef.current(`Generator: no shipped model '${id}' (models/index.json); none is shown`);
    setPicked('none');
  }, [indexLoaded, picked, shippedAll, setPicked]);

  // choice -> session (lazily loads onnxruntime-web the first time)
  useEffect(() => {
    if (choice === 'none') return;
    const user = choice.startsWith('user:') ? users.find((u) => `user:${u.key}` === choice) : undefined;
    const model = choice.startsWith('shipped:') ? shippedAll.find((m) => `shipped:${m.id}` === choice) : undefined;
    if (!user && !model) return;
    let live = true;
    let opened: OnnxGenerator | undefined;
    const name = user ? user.name : model ? modelName(model) : choice;
    const since = performance.now();
    const key = `${choice} ${runtime}`;
    const tell = (text: string): void => {
      if (live) setPhase({ key, text, since });
    };
    void (async () => {
      try {
        tell(user ? 'reading the model' : 'downloading the model');
        const bytes = user ? user.bytes : await fetchModelBytes(model?.id ?? '', pageBase());
        const o = await openBrowserGenerator(bytes, {
          base: pageBase(),
          webgpu: typeof navigator !== 'undefined' && navigator.gpu !== undefined,
          prefer: runtime,
          onPhase: (p, provider) => tell(phaseText(p, provider)),
        });
        if (!live) {
          void o.generator.release();
          return;
        }
        opened = o.generator;
        setSession({ key: choice, name, generator: o.generator, provider: o.provider, text: providerText(o) });
      } catch (e) {
        if (!live) return;
        onErrorRef.current(`Generator ${name}: ${message(e)}`);
        setPicked('none');
      }
    })();
    return () => {
      live = false;
      // queued behind any call in flight on this session (runtime.ts ortQueue)
      void opened?.release();
    };
  }, [choice, users, shippedAll, runtime, setPicked]);

  const active = session && session.key === choice ? session : undefined;

  // session, N, seed -> one batch (samples, chain, map)
  const n = Math.min(snap.config.n, GENERATOR_MAX_N);
  const seed = snap.config.seed;
  useEffect(() => {
    if (!active) return;
    let live = true;
    const since = performance.now();
    const key = `batch ${active.key}`;
    void (async () => {
      setPhase({ key, text: `first call at ${n.toLocaleString('en-US')} samples (${active.provider === 'webgpu' ? 'WebGPU compiles and allocates for this size' : 'wasm'})`, since });
      try {
        const z = sampleNoise(seed, n);
        // the first call at a batch size also compiles (WebGPU shaders) and allocates: timed apart,
        // the second is the batch time
        const t0 = performance.now();
        await active.generator.run(z, n);
        const firstMs = performance.now() - t0;
        if (!live) return;
        const t1 = performance.now();
        const out = await active.generator.run(z, n);
        const batchMs = performance.now() - t1;
        if (!live) return;
        const c0 = performance.now();
        const outputs = active.generator.info.outputs.filter((name) => out[name] !== undefined);
        const chain = [z, ...outputs.map((name) => Float64Array.from(out[name] ?? []))];
        const copyMs = performance.now() - c0;
        const g = gridPoints(DEFAULT_GRID);
        const gx = await active.generator.forward(g, g.length / 2);
        if (!live) return;
        const nonFinite = countNonFinite(chain[chain.length - 1] ?? []);
        setBatchFor({ session: active, batch: { n, seed, chain, outputs, grid: gridPolylines(gx, DEFAULT_GRID), batchMs, firstMs, copyMs, nonFinite } });
        const bad = nonFiniteText(nonFinite, n);
        if (bad) onErrorRef.current(`Generator ${active.name}: ${bad}`);
      } catch (e) {
        // the session was released under a queued call (another model was chosen): nothing to say
        if (e instanceof GeneratorReleasedError) return;
        if (live) onErrorRef.current(`Generator ${active.name}: ${message(e)}`);
      } finally {
        if (live) setPhase((p) => (p?.key === key ? undefined : p));
      }
    })();
    return () => {
      live = false;
    };
  }, [active, n, seed]);

  const batch = active && batchFor?.session === active ? batchFor.batch : undefined;

  // metrics of x against the flow's reference (the same target samples, the same plan), in a Web
  // Worker (they take seconds on the CPU), debounced: a dragged mixture changes the target many times a second
  const target = snap.target;
  const targetConfig = snap.config.target;
  const method = snap.config.method;
  const domain = snap.config.domain ?? 'plane';
  const flowSeed = snap.config.seed;
  const [metricsClient] = useState(() => new GeneratorMetricsClient());
  useEffect(() => () => metricsClient.destroy(), [metricsClient]);
  useEffect(() => {
    const x = batch?.chain[batch.chain.length - 1];
    if (!batch || !x || !target || domain !== 'plane' || target.landscape || batch.nonFinite > 0) return;
    let live = true;
    const sampleBased = methods.find((m) => m.id === method)?.needs === 'samples';
    const id = window.setTimeout(() => {
      metricsClient.measure({ target: targetConfig, seed: flowSeed, sampleBased, points: x, n: batch.n }).then(
        (values) => {
          if (live) setMetricsFor({ batch, values });
        },
        (e: unknown) => {
          if (live && !(e instanceof CancelledError)) onErrorRef.current(`Generator metrics: ${message(e)}`);
        },
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, [batch, target, targetConfig, method, domain, flowSeed, metricsClient]);

  const choose = useCallback((value: string) => {
    setStep(Number.POSITIVE_INFINITY);
    setPicked(value);
  }, [setPicked]);

  const addModel = useCallback((bytes: Uint8Array, name: string) => {
    try {
      readGeneratorModel(bytes);
    } catch (e) {
      onErrorRef.current(`${name}: ${message(e)}`);
      return;
    }
    const key = String(++userCount.current);
    setStep(Number.POSITIVE_INFINITY);
    setUsers((u) => [...u, { key, name, bytes }]);
    setPicked(`user:${key}`);
  }, [setPicked]);

  const K = batch ? batch.chain.length - 1 : 0;
  const onPlane = domain === 'plane' && target?.landscape === undefined;
  // the phase line ticks once a second while the generator is not ready
  const waiting = choice !== 'none' && (active === undefined || batch === undefined);
  useEffect(() => {
    if (!waiting) return;
    const id = window.setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(id);
  }, [waiting]);
  const phaseNow = waiting && phase && (phase.key === `${choice} ${runtime}` || (active !== undefined && phase.key === `batch ${active.key}`)) ? phase : undefined;
  const status = phaseNow ? `${phaseNow.text} · ${Math.max(0, Math.round((now - phaseNow.since) / 1000))} s` : waiting ? 'starting' : undefined;
  return {
    choice,
    shipped,
    users,
    name: active?.name,
    loading: choice !== 'none' && active === undefined,
    status,
    problem: batch ? nonFiniteText(batch.nonFinite, batch.n) : undefined,
    provider: active?.text,
    batch,
    metrics: batch && onPlane && metricsFor?.batch === batch ? metricsFor.values : undefined,
    showMap,
    setShowMap,
    step: Math.max(0, Math.min(step, K)),
    setStep,
    runtime,
    setRuntime,
    choose,
    addModel,
  };
}
