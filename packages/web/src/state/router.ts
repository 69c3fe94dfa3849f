/**
 * Client-side routes: parsing a location into a Route and formatting a Route back into a link, plus a small
 * history-API navigator. The engine serves the same index.html for every UI path, so deep links work.
 */
import { createStore, type Store } from './store';

export type Route =
  | { name: 'overview' }
  | { name: 'step-new' }
  | { name: 'step-edit'; id: string; created?: boolean }
  | { name: 'plan'; goals: string[] }
  | { name: 'flows'; search: string }
  | { name: 'flow'; id: string }
  | { name: 'not-found'; path: string };

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

export const parseRoute = (pathname: string, search: string): Route => {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'overview' };
  if (path === '/steps/new') return { name: 'step-new' };
  if (path === '/plan') {
    const goals = (new URLSearchParams(search).get('goals') ?? '').split(',').filter((g) => g !== '');
    return { name: 'plan', goals };
  }
  if (path === '/flows') return { name: 'flows', search };
  const match = /^\/(steps|flows)\/([^/]+)$/.exec(path);
  const id = match?.[2] === undefined ? undefined : decode(match[2]);
  if (match !== null && id !== undefined) {
    if (match[1] === 'flows') return { name: 'flow', id };
    return new URLSearchParams(search).get('created') === '1' ? { name: 'step-edit', id, created: true } : { name: 'step-edit', id };
  }
  return { name: 'not-found', path };
};

export const routeHref = (route: Route): string => {
  switch (route.name) {
    case 'overview':
      return '/';
    case 'step-new':
      return '/steps/new';
    case 'step-edit':
      return `/steps/${encodeURIComponent(route.id)}${route.created === true ? '?created=1' : ''}`;
    case 'plan':
      return route.goals.length === 0 ? '/plan' : `/plan?goals=${route.goals.map(encodeURIComponent).join(',')}`;
    case 'flows':
      return '/flows' + route.search;
    case 'flow':
      return `/flows/${encodeURIComponent(route.id)}`;
    case 'not-found':
      return route.path;
    default: {
      const never: never = route;
      return never;
    }
  }
};

/** Which top-level section a route belongs to, for the navigation bar. */
export const sectionOf = (route: Route): 'overview' | 'steps' | 'plan' | 'flows' | undefined => {
  switch (route.name) {
    case 'overview':
    case 'step-edit':
      return 'overview';
    case 'step-new':
      return 'steps';
    case 'plan':
      return 'plan';
    case 'flows':
    case 'flow':
      return 'flows';
    default:
      return undefined;
  }
};

export interface HistoryLike {
  location: { pathname: string; search: string };
  history: { pushState(data: unknown, unused: string, url: string): void; replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

export interface Navigator {
  route: Store<Route>;
  navigate(href: string, options?: { replace?: boolean }): void;
  dispose(): void;
}

export const createNavigator = (win: HistoryLike): Navigator => {
  const current = (): Route => parseRoute(win.location.pathname, win.location.search);
  const route = createStore<Route>(current());
  const onPop = (): void => {
    route.set(current());
  };
  win.addEventListener('popstate', onPop);
  return {
    route,
    navigate(href, options) {
      if (options?.replace === true) win.history.replaceState(null, '', href);
      else win.history.pushState(null, '', href);
      route.set(current());
    },
    dispose() {
      win.removeEventListener('popstate', onPop);
    },
  };
};
