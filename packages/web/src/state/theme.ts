/**
 * Light/dark theme choice: the user's preference (light, dark or follow the system) kept in storage, resolved
 * against the system setting and applied as `data-theme` on the document element.
 */
import { createStore, type Store } from './store';

export type ThemePreference = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

export const resolveTheme = (preference: ThemePreference, systemDark: boolean): Theme =>
  preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;

export const nextPreference = (preference: ThemePreference): ThemePreference =>
  preference === 'system' ? 'light' : preference === 'light' ? 'dark' : 'system';

const KEY = 'argyll.theme';

export interface ThemeEnvironment {
  storage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  systemDark(): boolean;
  onSystemChange(listener: () => void): void;
  apply(theme: Theme): void;
}

export interface ThemeController {
  state: Store<{ preference: ThemePreference; theme: Theme }>;
  setPreference(preference: ThemePreference): void;
}

const readPreference = (env: ThemeEnvironment): ThemePreference => {
  let stored: string | null = null;
  try {
    stored = env.storage?.getItem(KEY) ?? null;
  } catch {
    stored = null;
  }
  return stored === 'light' || stored === 'dark' || stored === 'system' ? stored : 'system';
};

export const createThemeController = (env: ThemeEnvironment): ThemeController => {
  const preference = readPreference(env);
  const state = createStore({ preference, theme: resolveTheme(preference, env.systemDark()) });
  env.apply(state.get().theme);
  const set = (pref: ThemePreference): void => {
    const theme = resolveTheme(pref, env.systemDark());
    state.set({ preference: pref, theme });
    env.apply(theme);
  };
  env.onSystemChange(() => {
    set(state.get().preference);
  });
  return {
    state,
    setPreference(pref) {
      try {
        env.storage?.setItem(KEY, pref);
      } catch {
        // Storage can be unavailable (private mode); the choice then lasts for this page only.
      }
      set(pref);
    },
  };
};
