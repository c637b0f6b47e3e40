/**
 * Light / dark theme (issue 8): 'system' follows `prefers-color-scheme`; the choice is remembered in
 * localStorage. The resolved theme is set as `data-theme` on <html> (styles.css swaps its colour
 * variables) and handed to the plots (their colours are not CSS).
 */
import { useCallback, useEffect, useLayoutEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'wgf.theme';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: the choice lasts for the page
  }
}

export function storedTheme(): ThemeChoice {
  const v = storage()?.getItem(THEME_KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function resolveTheme(choice: ThemeChoice, system: Theme): Theme {
  return choice === 'system' ? system : choice;
}

/** The theme choice (remembered), the resolved theme, and a setter; keeps <html data-theme> in step. */
export function useTheme(): { choice: ThemeChoice; theme: Theme; setChoice: (c: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(storedTheme);
  const [system, setSystem] = useState<Theme>(systemTheme);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-color-scheme: light)');
    const on = (): void => setSystem(mq.matches ? 'light' : 'dark');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const theme = resolveTheme(choice, system);
  // before the first paint: no flash of the other theme
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  const setChoice = useCallback((c: ThemeChoice) => {
    setChoiceState(c);
    const s = storage();
    if (c === 'system') s?.removeItem(THEME_KEY);
    else s?.setItem(THEME_KEY, c);
  }, []);
  return { choice, theme, setChoice };
}

/** Colours the plots use per theme (plotly takes colours, not CSS variables). */
export const PLOT_THEME: Record<Theme, { plotBg: string; grid: string; axis: string; title: string; legendBg: string; traces: [string, string, string] }> = {
  dark: { plotBg: '#0c1220', grid: '#223047', axis: '#9fb0c8', title: '#c9d5e6', legendBg: 'rgba(12,18,32,0.7)', traces: ['#ff9e40', '#5ad1c0', '#b98cff'] },
  light: { plotBg: '#ffffff', grid: '#dfe5ee', axis: '#4a586c', title: '#1d2a3c', legendBg: 'rgba(255,255,255,0.8)', traces: ['#d9690b', '#0f8f7f', '#7b4fd6'] },
};
