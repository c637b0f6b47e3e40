/** The small part of plotly.js (dist-min bundle, no bundled types) the plots use. */
declare module 'plotly.js-dist-min' {
  export interface Trace {
    x: readonly (number | null)[];
    y: readonly (number | null)[];
    type?: 'scatter' | 'scattergl';
    mode?: 'lines' | 'markers' | 'lines+markers';
    name?: string;
    line?: { color?: string; width?: number; dash?: 'solid' | 'dash' | 'dot' };
    connectgaps?: boolean;
    showlegend?: boolean;
  }
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  export function react(el: HTMLElement, data: Trace[], layout?: Layout, config?: Config): Promise<HTMLElement>;
  export function purge(el: HTMLElement): void;
  const Plotly: { react: typeof react; purge: typeof purge };
  export default Plotly;
}
