/**
 * A formula's WGSL on the device: `createFormulaModule` compiles a module that contains emitted
 * formula functions and turns any compilation error (getCompilationInfo) into a FormulaError that
 * names the formula, never a page error. Uses only the WebGPU API (no src/gpu import), so the
 * compiler stays below the engine.
 */
import type { CompiledFormula } from './compile';
import { FormulaError } from './grammar';

/** Compile `code` (which contains the WGSL of `formulas`); throws FormulaError naming the formula(s) on a compilation error. */
export async function createFormulaModule(device: GPUDevice, code: string, formulas: readonly CompiledFormula[], label = 'formula.module'): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const scoped = await device.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0 || scoped) {
    const first = errors[0];
    const where = first ? `line ${first.lineNum}:${first.linePos}: ${first.message}` : (scoped?.message ?? 'validation error');
    const f = formulas[0];
    const named = formulas.map((g) => `${g.kind} = ${JSON.stringify(g.text.length > 120 ? `${g.text.slice(0, 117)}...` : g.text)}`).join(', ');
    throw new FormulaError(f?.kind ?? 'logp', `the formula ${named} did not compile to WGSL (${where})`);
  }
  return module;
}
