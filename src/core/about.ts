/** What the About panel shows, as data (bottom layer: imports nothing). */

/** A paper a method or target comes from (the About panel cites it). */
export interface PaperRef {
  authors: string;
  title: string;
  year: number;
  /** Journal, conference or arXiv id. */
  venue: string;
}

/**
 * The About panel of a method or target (issue 8), as data: rendered by src/ui/About.tsx. Methods
 * and targets keep it beside their params; src/ui/about.test.ts checks that every registered one
 * has it, that its TeX renders with KaTeX and that `params` explains every ParamSpec.
 */
export interface About {
  /** Display-mode TeX (KaTeX subset): a method's update rule, a target's density. */
  tex: string;
  /** One or two plain sentences for a student: what it does, what to look at. */
  text: string;
  /** One line per parameter, by ParamSpec name: what it does (every ParamSpec must have one). */
  params: Record<string, string>;
  /** Where it comes from (methods: at least one). */
  papers?: PaperRef[];
}
