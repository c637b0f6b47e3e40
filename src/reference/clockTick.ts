/** Twin of shaders/clockTick.wgsl: the step counter advances by one after each step. */
export function clockTick(step: number): number {
  return (step + 1) >>> 0;
}
