import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNavigator, parseRoute, routeHref, sectionOf, type HistoryLike, type Route } from './router';

void describe('routes', () => {
  void it('parses every UI path', () => {
    assert.deepEqual(parseRoute('/', ''), { name: 'overview' });
    assert.deepEqual(parseRoute('/steps/new', ''), { name: 'step-new' });
    assert.deepEqual(parseRoute('/steps/hello-script/', ''), { name: 'step-edit', id: 'hello-script' });
    assert.deepEqual(parseRoute('/steps/hello-script', '?created=1'), { name: 'step-edit', id: 'hello-script', created: true });
    assert.deepEqual(parseRoute('/plan', '?goals=a,b%2Bc'), { name: 'plan', goals: ['a', 'b+c'] });
    assert.deepEqual(parseRoute('/flows', '?status=failed'), { name: 'flows', search: '?status=failed' });
    assert.deepEqual(parseRoute('/flows/wf%3Asub%3At1', ''), { name: 'flow', id: 'wf:sub:t1' });
    assert.deepEqual(parseRoute('/flows/%E0%A4%A', ''), { name: 'not-found', path: '/flows/%E0%A4%A' });
    assert.deepEqual(parseRoute('/nope/x/y', ''), { name: 'not-found', path: '/nope/x/y' });
  });

  void it('formats links that parse back to the same route', () => {
    const routes: Route[] = [
      { name: 'overview' },
      { name: 'step-new' },
      { name: 'step-edit', id: 'a b' },
      { name: 'plan', goals: ['x', 'y z'] },
      { name: 'plan', goals: [] },
      { name: 'flows', search: '?status=active' },
      { name: 'flow', id: 'order-1001:ship:9c1d' },
    ];
    for (const route of routes) {
      const href = routeHref(route);
      const [path, search = ''] = href.split('?');
      assert.deepEqual(parseRoute(path ?? '', search === '' ? '' : `?${search}`), route, href);
    }
    assert.equal(sectionOf({ name: 'flow', id: 'x' }), 'flows');
    assert.equal(sectionOf({ name: 'step-new' }), 'steps');
    assert.equal(sectionOf({ name: 'step-edit', id: 'x' }), 'overview');
  });

  void it('navigates with the history API and follows back/forward', () => {
    const listeners: (() => void)[] = [];
    const win: HistoryLike = {
      location: { pathname: '/', search: '' },
      history: {
        pushState: (_d, _u, url) => {
          const [p, s] = url.split('?');
          win.location = { pathname: p ?? '/', search: s === undefined ? '' : `?${s}` };
        },
        replaceState: (_d, _u, url) => {
          win.location = { pathname: url, search: '' };
        },
      },
      addEventListener: (_t, l) => listeners.push(l),
      removeEventListener: () => undefined,
    };
    const nav = createNavigator(win);
    const seen: string[] = [];
    nav.route.subscribe(() => seen.push(nav.route.get().name));
    nav.navigate('/flows?status=failed');
    assert.deepEqual(nav.route.get(), { name: 'flows', search: '?status=failed' });
    win.location = { pathname: '/', search: '' };
    listeners.forEach((l) => {
      l();
    });
    assert.deepEqual(seen, ['flows', 'overview']);
  });
});
