/** The check shared by the fuzz tests: is an error an acceptable refusal of a run configuration? */
import { ConfigError } from '../engine/types';

/** Words a refusal's message must contain for each top-level field (params.X / target.X: X itself). */
const FIELD_WORDS: Record<string, RegExp> = {
  n: /particle/i,
  stepSize: /step size/i,
  seed: /seed/i,
  method: /method/i,
  domain: /domain|torus|plane/i,
  init: /initial/i,
  target: /target/i,
  targetSamples: /target sample/i,
  params: /param/i,
  config: /config/i,
};

/** Why `e` is not an acceptable refusal, or undefined when it is one. */
export function refusalProblem(e: unknown): string | undefined {
  if (!(e instanceof ConfigError)) return `not a ConfigError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  const [head = '', ...rest] = e.field.split('.');
  const words = FIELD_WORDS[head];
  if (!words) return `unknown field '${e.field}' (${e.message})`;
  const sub = rest.join('.');
  if (sub !== '' && !e.message.includes(sub)) return `message does not name '${sub}': ${e.message}`;
  if (sub === '' && !words.test(e.message)) return `message does not name field '${e.field}': ${e.message}`;
  return undefined;
}
