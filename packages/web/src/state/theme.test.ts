import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createThemeController, nextPreference, resolveTheme } from './theme';

void describe('theme', () => {
  void it('resolves the system preference and cycles choices', () => {
    assert.equal(resolveTheme('system', true), 'dark');
    assert.equal(resolveTheme('system', false), 'light');
    assert.equal(resolveTheme('light', true), 'light');
    assert.deepEqual([nextPreference('system'), nextPreference('light'), nextPreference('dark')], ['light', 'dark', 'system']);
  });

  void it('applies, stores and follows the system setting', () => {
    const stored = new Map<string, string>([['argyll.theme', 'dark']]);
    const applied: string[] = [];
    let systemDark = false;
    let onChange = (): void => undefined;
    const theme = createThemeController({
      storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v) },
      systemDark: () => systemDark,
      onSystemChange: (l) => {
        onChange = l;
      },
      apply: (t) => applied.push(t),
    });
    assert.deepEqual(theme.state.get(), { preference: 'dark', theme: 'dark' });
    theme.setPreference('system');
    assert.equal(stored.get('argyll.theme'), 'system');
    systemDark = true;
    onChange();
    assert.deepEqual(applied, ['dark', 'light', 'dark']);
  });
});
