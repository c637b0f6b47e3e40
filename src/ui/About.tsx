/**
 * "About <label>" buttons and their dialog (issue 8): the registry entry's `about` data (src/targets/
 * types.ts About) — the update rule or density rendered by KaTeX (src/ui/tex.ts, loaded on first
 * open), a plain sentence or two, one line per parameter (with the control's label), the method's
 * readouts, and the paper(s). No method or target is named here.
 */
import { useEffect, useRef, useState } from 'react';
import type { ParamSpec } from '../core/params';
import type { ReadoutSpec } from '../methods/types';
import type { About } from '../targets/types';

export interface AboutSubject {
  /** 'Method' or 'Target': the dialog's kicker. */
  kind: string;
  label: string;
  about: About | undefined;
  params: readonly ParamSpec[];
  readouts?: readonly ReadoutSpec[] | undefined;
}

type Render = (tex: string) => { ok: boolean; html: string };

let texModule: Promise<Render> | undefined;
function loadTex(): Promise<Render> {
  texModule ??= import('./tex').then((m) => m.renderTex);
  return texModule;
}

function Equation({ tex }: { tex: string }): React.JSX.Element {
  const [html, setHtml] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void loadTex().then((render) => {
      if (live) setHtml(render(tex).html);
    });
    return () => {
      live = false;
    };
  }, [tex]);
  // KaTeX markup from registry data (not user input); the TeX source stays readable while it loads
  return html === undefined ? <pre className="tex-source">{tex}</pre> : <div className="equation" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function AboutButton({ subject }: { subject: AboutSubject }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const { about } = subject;
  const name = `About ${subject.label}`;
  return (
    <>
      <button type="button" className="about-button" onClick={() => setOpen(true)} disabled={!about} title={about ? `${subject.kind}: the equation, what each parameter does, and the paper` : 'No explanation registered'}>
        {name}
      </button>
      {open && about ? (
        <dialog
          ref={ref}
          className="about-dialog"
          aria-label={name}
          onClose={() => setOpen(false)}
          onClick={(e) => {
            if (e.target === e.currentTarget) setOpen(false); // a click on the backdrop
          }}
        >
          <div className="about-body">
            <header>
              <span className="kicker">{subject.kind}</span>
              <h2>{subject.label}</h2>
              <button type="button" className="about-close" aria-label="Close" onClick={() => setOpen(false)}>
                ✕
              </button>
            </header>
            <Equation tex={about.tex} />
            <p>{about.text}</p>
            {subject.params.length > 0 ? (
              <>
                <h3>Parameters</h3>
                <dl className="about-params">
                  {subject.params.map((p) => (
                    <div key={p.name}>
                      <dt>
                        {p.label} <code>{p.name}</code>
                      </dt>
                      <dd>{about.params[p.name] ?? p.description}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
            {subject.readouts && subject.readouts.length > 0 ? (
              <>
                <h3>Readouts (status bar{subject.readouts.some((r) => r.plot) ? ', plots' : ''})</h3>
                <dl className="about-params">
                  {subject.readouts.map((r) => (
                    <div key={r.key}>
                      <dt>{r.label}</dt>
                      <dd>{r.description}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
            {about.papers && about.papers.length > 0 ? (
              <>
                <h3>From</h3>
                <ul className="about-papers">
                  {about.papers.map((p) => (
                    <li key={p.title}>
                      {p.authors}. <i>{p.title}</i>. {p.venue}, {p.year}.
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        </dialog>
      ) : null}
    </>
  );
}
