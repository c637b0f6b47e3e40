/**
 * ONNX writer and reader/validator for the generators, with protobufjs over the onnx.proto subset
 * of src/generators/onnxSchema.ts.
 *
 * Written models are plain, portable ONNX: IR version 8, default-domain opset 13, standard ops only
 * (Gemm, Sigmoid, Mul, Add), float32 weights as raw_data initializers (little-endian), one input
 *   z  float32 [B, 2]   (B = dim_param 'B', dynamic)
 * and, for a K-stage chain (src/generators/model.ts), the outputs x_1 .. x_{K-1}, x, each float32
 * [B, 2]. Each stage k, each layer l of its MLP:
 *   u = Gemm(h, W_l, b_l)            (alpha = beta = 1, transA = transB = 0: h [B, in] W [in, out] + b)
 *   h = Mul(u, Sigmoid(u))           (SiLU; ONNX has no SiLU op at opset 13)
 *   x_k = Add(x_{k-1}, u_L)          (residual output)
 * Metadata props carry the model card's identifying fields (method, target, ...) as strings.
 *
 * readGeneratorModel() refuses, with a GeneratorModelError naming the problem, anything that is
 * not a decodable ONNX ModelProto with a graph whose single input is float32 [dynamic, 2] and whose
 * output `x` (or single output) is float32 [B, 2]; it also checks that every node input is defined
 * before use and that initializer sizes match their dims, so a truncated file that still happens to
 * decode is refused before onnxruntime sees it, and that every floating-point weight (initializers,
 * Constant tensors, float attributes) is finite: a NaN or Inf weight is refused naming its tensor
 * (issue 21), so no model with one reaches onnxruntime, in the CLI or in the page.
 */
import protobuf from 'protobufjs/light.js';
import { AttributeType, DataType, ONNX_SCHEMA } from './onnxSchema';
import type { Mlp } from './mlp';
import { stageOutputName } from './model';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

export class GeneratorModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorModelError';
  }
}

let root: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SCHEMA);
  return root.lookupType('onnx.ModelProto');
}

// ---------------------------------------------------------------- plain shapes of the messages
interface Dim { dim_value?: number; dim_param?: string }
interface ValueInfo { name: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: Dim[] } } } }
interface Attribute { name: string; type: number; f?: number; i?: number; t?: Tensor; floats?: number[] }
interface Node { input: string[]; output: string[]; name?: string; op_type: string; domain?: string; attribute?: Attribute[] }
interface Tensor { name: string; dims: number[]; data_type: number; raw_data?: Uint8Array; float_data?: number[]; double_data?: number[] }
interface Graph { name?: string; node?: Node[]; initializer?: Tensor[]; input?: ValueInfo[]; output?: ValueInfo[]; doc_string?: string }
interface Model {
  ir_version?: number; producer_name?: string; producer_version?: string; doc_string?: string; graph?: Graph;
  opset_import?: { domain?: string; version?: number }[];
  metadata_props?: { key: string; value: string }[];
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i] ?? 0, true);
  return { name, dims, data_type: DataType.FLOAT, raw_data: bytes };
}

function pointsInfo(name: string): ValueInfo {
  return { name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_param: 'B' }, { dim_value: 2 }] } } } };
}

export interface OnnxWriteOptions {
  /** String metadata (ModelProto.metadata_props). */
  metadata?: Record<string, string>;
  docString?: string;
  graphName?: string;
}

/** Serialise a chain of MLP stages (see the header) as ONNX bytes. */
export function writeGeneratorOnnx(stages: readonly Mlp[], options: OnnxWriteOptions = {}): Uint8Array {
  if (stages.length === 0) throw new Error('writeGeneratorOnnx: no stages');
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const K = stages.length;
  let prev = 'z';
  stages.forEach((mlp, s) => {
    const k = s + 1;
    if (mlp.layers[0]?.inputs !== 2 || mlp.layers[mlp.layers.length - 1]?.outputs !== 2) throw new Error(`stage ${k}: the ONNX generator maps R^2 to R^2`);
    let h = prev;
    mlp.layers.forEach((d, l) => {
      const p = `s${k}_l${l + 1}`;
      inits.push(floatTensor(`${p}_W`, [d.inputs, d.outputs], d.w), floatTensor(`${p}_b`, [d.outputs], d.b));
      const last = l + 1 === mlp.layers.length;
      const u = last && !mlp.spec.residual ? stageOutputName(k, K) : `${p}_u`;
      nodes.push({
        op_type: 'Gemm', name: `${p}_gemm`, input: [h, `${p}_W`, `${p}_b`], output: [u],
        attribute: [
          { name: 'alpha', type: AttributeType.FLOAT, f: 1 }, { name: 'beta', type: AttributeType.FLOAT, f: 1 },
          { name: 'transA', type: AttributeType.INT, i: 0 }, { name: 'transB', type: AttributeType.INT, i: 0 },
        ],
      });
      if (!last) {
        nodes.push({ op_type: 'Sigmoid', name: `${p}_sigmoid`, input: [u], output: [`${p}_s`] });
        nodes.push({ op_type: 'Mul', name: `${p}_silu`, input: [u, `${p}_s`], output: [`${p}_h`] });
        h = `${p}_h`;
      } else if (mlp.spec.residual) {
        nodes.push({ op_type: 'Add', name: `s${k}_residual`, input: [prev, u], output: [stageOutputName(k, K)] });
      }
    });
    prev = stageOutputName(k, K);
  });
  const outputs: ValueInfo[] = [];
  for (let k = 1; k <= K; k++) outputs.push(pointsInfo(stageOutputName(k, K)));
  const model: Model = {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'wgf-playground',
    producer_version: '0.1.0',
    doc_string: options.docString ?? 'One-step generator z ~ N(0, I) -> x (WGF Playground, src/generators)',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: { name: options.graphName ?? 'generator', node: nodes, initializer: inits, input: [pointsInfo('z')], output: outputs },
  };
  const type = modelType();
  return type.encode(type.fromObject(model)).finish();
}

// ---------------------------------------------------------------- reading and validation
export interface GeneratorModelInfo {
  irVersion: number;
  opset: number;
  producer: string;
  inputName: string;
  /** The main output (`x`, or the only output). */
  outputName: string;
  /** Every output whose shape is [B, 2] float32, in graph order (an S-JKO chain: x_1 .. x). */
  outputs: string[];
  nodes: number;
  parameters: number;
  metadata: Record<string, string>;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (v !== null && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') {
    const n: unknown = v.toNumber();
    return typeof n === 'number' ? n : NaN;
  }
  return NaN;
}

const ELEM_NAMES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };

function describe(v: ValueInfo): { elem: number; dims: (number | string)[] } | string {
  const t = v.type?.tensor_type;
  if (!t) return `'${v.name}' is not a tensor`;
  const dims = (t.shape?.dim ?? []).map((d) => (d.dim_param !== undefined && d.dim_param !== '' ? d.dim_param : d.dim_value !== undefined ? toNumber(d.dim_value) : '?'));
  return { elem: toNumber(t.elem_type ?? 0), dims };
}

function checkPoints(v: ValueInfo, role: string): string | undefined {
  const d = describe(v);
  if (typeof d === 'string') return `${role} ${d}`;
  const elem = ELEM_NAMES[d.elem] ?? `type ${d.elem}`;
  const shape = `[${d.dims.join(', ')}]`;
  if (d.elem !== DataType.FLOAT || d.dims.length !== 2 || d.dims[1] !== 2) return `${role} '${v.name}' is ${elem} ${shape}; a generator needs float32 [B, 2]`;
  if (typeof d.dims[0] === 'number') return `${role} '${v.name}' has a fixed batch size ${d.dims[0]}; a generator needs a dynamic batch dimension B`;
  return undefined;
}

/** Decode and validate a generator model; throws GeneratorModelError with a clear message. */
export function readGeneratorModel(bytes: Uint8Array): GeneratorModelInfo {
  if (bytes.length === 0) throw new GeneratorModelError('the file is empty, not an ONNX model');
  let model: Model;
  try {
    const type = modelType();
    model = type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as Model;
  } catch (e) {
    throw new GeneratorModelError(`not an ONNX model (the protobuf does not decode: ${e instanceof Error ? e.message : String(e)}); the file may be truncated or of another format`);
  }
  const ir = toNumber(model.ir_version ?? NaN);
  if (!(ir >= 3)) throw new GeneratorModelError(`not an ONNX model: no valid ir_version (got ${Number.isNaN(ir) ? 'none' : ir})`);
  const opsets = model.opset_import ?? [];
  const def = opsets.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  const opset = toNumber(def?.version ?? NaN);
  if (!(opset >= 1)) throw new GeneratorModelError('not a usable ONNX model: no default-domain opset_import');
  const g = model.graph;
  if (!g || (g.node ?? []).length === 0) throw new GeneratorModelError('not a usable ONNX model: it has no graph nodes (is the file truncated?)');
  const inits = g.initializer ?? [];
  const initNames = new Set(inits.map((t) => t.name));
  let parameters = 0;
  for (const t of inits) {
    const count = t.dims.reduce((a, d) => a * toNumber(d), 1);
    const size = elemBytes(t.data_type);
    const raw = t.raw_data?.length ?? 0;
    const have = raw > 0 ? (size > 0 ? raw / size : count) : t.data_type === DataType.FLOAT ? (t.float_data?.length ?? 0) : count;
    if (have !== count) {
      throw new GeneratorModelError(`initializer '${t.name}' holds ${have} values for dims [${t.dims.join(', ')}] (${count}); the file is truncated or corrupt`);
    }
    checkFiniteTensor(t, `initializer '${t.name}'`);
    parameters += count;
  }
  for (const n of g.node ?? []) {
    for (const a of n.attribute ?? []) {
      const where = `attribute '${a.name}' of node '${n.name || n.op_type}' (${n.op_type})`;
      if (a.t) checkFiniteTensor(a.t, `tensor ${a.t.name ? `'${a.t.name}' in ` : ''}${where}`);
      const fs = [...(a.f !== undefined ? [toNumber(a.f)] : []), ...(a.floats ?? []).map(toNumber)];
      const bad = fs.find((v) => !Number.isFinite(v));
      if (bad !== undefined) throw new GeneratorModelError(`${where} is ${String(bad)}; a generator's weights and constants must be finite`);
    }
  }
  const inputs = (g.input ?? []).filter((v) => !initNames.has(v.name));
  if (inputs.length !== 1) throw new GeneratorModelError(`a generator has exactly one input z float32 [B, 2]; this model has ${inputs.length} (${inputs.map((v) => v.name).join(', ') || 'none'})`);
  const input = inputs[0];
  if (!input) throw new GeneratorModelError('no input');
  const badIn = checkPoints(input, 'input');
  if (badIn) throw new GeneratorModelError(badIn);
  const outs = g.output ?? [];
  if (outs.length === 0) throw new GeneratorModelError('the model has no outputs');
  const main = outs.find((v) => v.name === 'x') ?? (outs.length === 1 ? outs[0] : undefined);
  if (!main) throw new GeneratorModelError(`no output named 'x' among ${outs.map((v) => v.name).join(', ')}`);
  const badOut = checkPoints(main, 'output');
  if (badOut) throw new GeneratorModelError(badOut);
  // every node input defined before use (ONNX graphs are topologically sorted)
  const defined = new Set<string>([input.name, ...initNames]);
  for (const n of g.node ?? []) {
    for (const name of n.input) {
      if (name !== '' && !defined.has(name)) throw new GeneratorModelError(`node '${n.name ?? n.op_type}' (${n.op_type}) reads '${name}', which nothing defines (truncated or corrupt graph)`);
    }
    for (const name of n.output) defined.add(name);
  }
  for (const o of outs) if (!defined.has(o.name)) throw new GeneratorModelError(`output '${o.name}' is produced by no node (truncated or corrupt graph)`);
  const metadata: Record<string, string> = {};
  for (const p of model.metadata_props ?? []) metadata[p.key] = p.value;
  return {
    irVersion: ir,
    opset,
    producer: model.producer_name ?? '',
    inputName: input.name,
    outputName: main.name,
    outputs: outs.filter((v) => checkPoints(v, 'output') === undefined).map((v) => v.name),
    nodes: (g.node ?? []).length,
    parameters,
    metadata,
  };
}

function elemBytes(dataType: number): number {
  switch (dataType) {
    case DataType.FLOAT: case DataType.INT32: return 4;
    case DataType.INT64: case DataType.DOUBLE: return 8;
    case FLOAT16: case BFLOAT16: return 2;
    default: return 0;
  }
}

/** onnx TensorProto.DataType FLOAT16 / BFLOAT16 (2-byte floats: raw_data, or int32_data holding the bits). */
const FLOAT16 = 10;
const BFLOAT16 = 16;

/** The first non-finite value of a floating-point tensor, with its index, or undefined. */
function firstNonFinite(t: Tensor): { index: number; value: number } | undefined {
  const raw = t.raw_data;
  const scan = (count: number, at: (i: number) => number): { index: number; value: number } | undefined => {
    for (let i = 0; i < count; i++) {
      const v = at(i);
      if (!Number.isFinite(v)) return { index: i, value: v };
    }
    return undefined;
  };
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    switch (t.data_type) {
      case DataType.FLOAT: return scan(Math.floor(raw.length / 4), (i) => view.getFloat32(4 * i, true));
      case DataType.DOUBLE: return scan(Math.floor(raw.length / 8), (i) => view.getFloat64(8 * i, true));
      // half floats: exponent bits all ones = Inf or NaN (float16: 5 bits, bfloat16: 8 bits)
      case FLOAT16: return scan(Math.floor(raw.length / 2), (i) => ((view.getUint16(2 * i, true) & 0x7c00) === 0x7c00 ? NaN : 0));
      case BFLOAT16: return scan(Math.floor(raw.length / 2), (i) => ((view.getUint16(2 * i, true) & 0x7f80) === 0x7f80 ? NaN : 0));
      default: return undefined;
    }
  }
  if (t.data_type === DataType.FLOAT) return scan(t.float_data?.length ?? 0, (i) => toNumber(t.float_data?.[i]));
  if (t.data_type === DataType.DOUBLE) return scan(t.double_data?.length ?? 0, (i) => toNumber(t.double_data?.[i]));
  return undefined;
}

/** Refuse a floating-point tensor holding NaN or +-Inf, naming it (`what`) and the first bad value's index. */
function checkFiniteTensor(t: Tensor, what: string): void {
  const bad = firstNonFinite(t);
  if (bad === undefined) return;
  const dims = t.dims.map(toNumber);
  // the index as a position in the tensor's dims (row-major), e.g. [3, 17] of a [64, 64] weight
  const pos: number[] = [];
  let rest = bad.index;
  for (let d = dims.length - 1; d >= 0; d--) {
    const size = dims[d] ?? 1;
    pos.unshift(size > 0 ? rest % size : 0);
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  const at = dims.length > 0 ? `[${pos.join(', ')}]` : `${bad.index}`;
  const value = t.data_type === FLOAT16 || t.data_type === BFLOAT16 ? 'NaN or Inf' : String(bad.value);
  throw new GeneratorModelError(`${what} holds a non-finite value (${value} at ${at}); a generator's weights must be finite, the model is refused`);
}

/** The decoded ModelProto as a plain object (int64 as numbers, bytes as Uint8Array); for tests and tools. */
export function decodeOnnxObject(bytes: Uint8Array): Record<string, unknown> {
  const type = modelType();
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, arrays: true });
}

/** Encode a plain ModelProto object (the shape decodeOnnxObject returns). */
export function encodeOnnxObject(model: Record<string, unknown>): Uint8Array {
  const type = modelType();
  return type.encode(type.fromObject(model)).finish();
}
