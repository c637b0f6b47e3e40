/** The method registry: the UI, URL state and CLI are built from this list. */
import { langevin } from './langevin';
import { svgd } from './svgd';
import { mmdFlow } from './mmdFlow';
import { sinkhornFlow } from './sinkhornFlow';
import { gwg } from './gwg';
import { wgd } from './wgd';
import { wgdPerturbed } from './wgdPerturbed';
import { wNewton } from './wNewton';
import { wsfn } from './wsfn';
import { jko } from './jko';
import { landscapeMethod } from './landscapeMethod';
import type { MethodDef } from './types';

/** Density samplers and flows, then the landscape methods (issue 10: needs 'landscape'). */
export const methods: MethodDef[] = [langevin, svgd, mmdFlow, sinkhornFlow, gwg, ...[wgd, wgdPerturbed, wNewton, wsfn, jko].map(landscapeMethod)];

/**
 * The default methods, as data: the app's first run shows SVGD (particles that repel and spread),
 * `wgf run` without --method runs the simplest, Langevin. Read by src/engine/defaults.ts (no method
 * id is written there).
 */
export const defaultMethods = { app: svgd.id, cli: langevin.id } as const;

export function getMethod(id: string): MethodDef {
  const m = methods.find((d) => d.id === id);
  if (!m) throw new Error(`unknown method '${id}' (known: ${methods.map((d) => d.id).join(', ')})`);
  return m;
}

export type { MethodDef } from './types';
