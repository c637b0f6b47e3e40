/**
 * Declarative parameters shared by methods and targets: the UI builds controls from these,
 * the CLI parses `--param name=value` with them, and the URL hash round-trips them.
 */
export type ParamValue = number | boolean | string | number[];

export interface ParamSpec {
  name: string;
  label: string;
  /** number: a finite number in [min, max]; boolean; enum: one of options; vector: comma-separated numbers; json: free JSON text (validated by the owner). */
  kind: 'number' | 'boolean' | 'enum' | 'vector' | 'json';
  default: ParamValue;
  description: string;
  min?: number;
  max?: number;
  step?: number;
  /** For 'number': also accept this string (e.g. 'median' for a bandwidth). */
  alsoAccept?: string[];
  options?: string[];
  /** For 'vector': required length. */
  length?: number;
  /** Shown in the UI as a log-scale slider. */
  log?: boolean;
  /**
   * The UI shows the control only while each named parameter's value (or its default) is one of
   * these, e.g. { kernel: ['riesz'] }. The value still applies (CLI, URL) when hidden.
   */
  shownWhen?: Record<string, ParamValue[]>;
}

export type Params = Record<string, ParamValue>;

/** Whether the UI shows `spec` given the other parameters' current values (see ParamSpec.shownWhen). */
export function paramShown(spec: ParamSpec, specs: readonly ParamSpec[], values: Params): boolean {
  if (!spec.shownWhen) return true;
  return Object.entries(spec.shownWhen).every(([name, allowed]) => {
    const v = values[name] ?? specs.find((q) => q.name === name)?.default;
    return v !== undefined && allowed.some((a) => a === v);
  });
}

export class ParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** Parse one CLI/URL string value against its spec; throws ParamError naming the parameter. */
export function parseParam(spec: ParamSpec, raw: string): ParamValue {
  const s = raw.trim();
  switch (spec.kind) {
    case 'number': {
      if (spec.alsoAccept?.includes(s)) return s;
      const v = Number(s);
      if (s === '' || !Number.isFinite(v)) {
        const extra = spec.alsoAccept?.length ? ` or ${spec.alsoAccept.join('|')}` : '';
        throw new ParamError(spec.name, `${spec.name}: expected a number${extra}, got '${raw}'`);
      }
      checkRange(spec, v);
      return v;
    }
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(s.toLowerCase())) return true;
      if (['false', '0', 'no', 'off'].includes(s.toLowerCase())) return false;
      throw new ParamError(spec.name, `${spec.name}: expected true or false, got '${raw}'`);
    case 'enum':
      if (!spec.options?.includes(s)) {
        throw new ParamError(spec.name, `${spec.name}: expected one of ${spec.options?.join('|')}, got '${raw}'`);
      }
      return s;
    case 'vector': {
      const parts = s.split(',').map((p) => Number(p.trim()));
      if (s === '' || parts.some((p) => !Number.isFinite(p))) {
        throw new ParamError(spec.name, `${spec.name}: expected comma-separated numbers, got '${raw}'`);
      }
      if (spec.length !== undefined && parts.length !== spec.length) {
        throw new ParamError(spec.name, `${spec.name}: expected ${spec.length} numbers, got ${parts.length}`);
      }
      return parts;
    }
    case 'json':
      return s;
  }
}

/** Validate an already-typed value (from the UI or a JSON config); returns it or throws ParamError. */
export function checkParam(spec: ParamSpec, v: ParamValue): ParamValue {
  switch (spec.kind) {
    case 'number':
      if (typeof v === 'string' && spec.alsoAccept?.includes(v)) return v;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ParamError(spec.name, `${spec.name}: expected a finite number, got ${JSON.stringify(v)}`);
      }
      checkRange(spec, v);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new ParamError(spec.name, `${spec.name}: expected true or false`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.options?.includes(v)) {
        throw new ParamError(spec.name, `${spec.name}: expected one of ${spec.options?.join('|')}`);
      }
      return v;
    case 'vector':
      if (!Array.isArray(v) || v.some((x) => !Number.isFinite(x)) || (spec.length !== undefined && v.length !== spec.length)) {
        throw new ParamError(spec.name, `${spec.name}: expected ${spec.length ?? 'some'} finite numbers`);
      }
      return v;
    case 'json':
      if (typeof v !== 'string') throw new ParamError(spec.name, `${spec.name}: expected JSON text`);
      return v;
  }
}

/** A count (iterations, modes, grid size...): a number spec with step 1 and a whole-number minimum. */
export function isCount(spec: ParamSpec): boolean {
  return spec.kind === 'number' && spec.step === 1 && Number.isInteger(spec.min ?? 0);
}

function checkRange(spec: ParamSpec, v: number): void {
  // a count is refused, not rounded, when fractional (issue 21 item 4): the CLI, the URL and the panel alike
  if (isCount(spec) && !Number.isInteger(v)) {
    throw new ParamError(spec.name, `${spec.name}: expected a whole number, got ${v}`);
  }
  if (spec.min !== undefined && v < spec.min) {
    throw new ParamError(spec.name, `${spec.name}: ${v} is below the minimum ${spec.min}`);
  }
  if (spec.max !== undefined && v > spec.max) {
    throw new ParamError(spec.name, `${spec.name}: ${v} is above the maximum ${spec.max}`);
  }
}

/** Defaults overlaid with given values, each checked. Unknown names throw. */
export function resolveParams(specs: readonly ParamSpec[], given: Params = {}): Params {
  const out: Params = {};
  for (const name of Object.keys(given)) {
    if (!specs.some((s) => s.name === name)) {
      throw new ParamError(name, `unknown parameter '${name}' (known: ${specs.map((s) => s.name).join(', ') || 'none'})`);
    }
  }
  for (const spec of specs) {
    const v = given[spec.name];
    out[spec.name] = v === undefined ? spec.default : checkParam(spec, v);
  }
  return out;
}

/**
 * Typed reads of resolved parameters, defaults taken from the specs (never restated by the reader):
 *   const p = readParams(svgd.params, run.params);
 *   p.num('beta'); p.optNum('bandwidth') (undefined for 'median'); p.oneOf('kernel', KERNELS); p.bool('mala')
 * A name that is not in the specs is a programming error (throws Error); a value of the wrong kind
 * throws ParamError naming the parameter.
 */
export interface ParamReader {
  /** A number (the value, or the spec's default). Throws when it is a word such as 'median': use optNum. */
  num(name: string): number;
  /** A number, or undefined when the value is one of the spec's `alsoAccept` words ('median', 'none', 'step'). */
  optNum(name: string): number | undefined;
  /** A positive integer-valued number, rounded (counts such as iterations), at least `min` (default 1). */
  int(name: string, min?: number): number;
  bool(name: string): boolean;
  str(name: string): string;
  /** An enum value narrowed to `options` (throws ParamError when it is not one of them). */
  oneOf<T extends string>(name: string, options: readonly T[]): T;
  vec(name: string): number[];
  /** The raw value (given or default). */
  get(name: string): ParamValue;
}

export function readParams(specs: readonly ParamSpec[], params: Params = {}): ParamReader {
  const get = (name: string): ParamValue => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`readParams: no parameter '${name}' (known: ${specs.map((s) => s.name).join(', ') || 'none'})`);
    return params[name] ?? spec.default;
  };
  const wrong = (name: string, what: string, v: ParamValue): ParamError =>
    new ParamError(name, `${name}: expected ${what}, got ${JSON.stringify(v)}`);
  const optNum = (name: string): number | undefined => {
    const v = get(name);
    if (typeof v === 'number') return v;
    const spec = specs.find((s) => s.name === name);
    if (typeof v === 'string' && spec?.alsoAccept?.includes(v)) return undefined;
    throw wrong(name, 'a number', v);
  };
  const num = (name: string): number => {
    const v = optNum(name);
    if (v === undefined) throw wrong(name, 'a number', get(name));
    return v;
  };
  return {
    get,
    num,
    optNum,
    int(name, min = 1) {
      return Math.max(min, Math.round(num(name)));
    },
    bool(name) {
      const v = get(name);
      if (typeof v !== 'boolean') throw wrong(name, 'true or false', v);
      return v;
    },
    str(name) {
      const v = get(name);
      if (typeof v !== 'string') throw wrong(name, 'text', v);
      return v;
    },
    oneOf<T extends string>(name: string, options: readonly T[]): T {
      const v = get(name);
      const found = options.find((o) => o === v);
      if (found === undefined) throw wrong(name, `one of ${options.join('|')}`, v);
      return found;
    },
    vec(name) {
      const v = get(name);
      if (!Array.isArray(v)) throw wrong(name, 'numbers', v);
      return v;
    },
  };
}
