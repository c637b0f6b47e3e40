import type { ParticleStyle } from './particlePass';

/** Particle look shared by the WebGPU and Canvas 2D renderers: warm orange on the cool density. */
export const PARTICLE_STYLE: ParticleStyle = { radiusPx: 2.2, colour: [1.0, 0.62, 0.25] };
