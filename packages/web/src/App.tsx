/** The app shell: header with navigation, live-connection state and theme switch; the page for the current route. */
import { useEffect, useSyncExternalStore } from 'react';
import { ServicesContext, useServices, useStore, type Services } from './app/services';
import { Link } from './components/Link';
import { FlowListPage } from './pages/FlowListPage';
import { FlowPage } from './pages/FlowPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { PlanPage } from './pages/PlanPage';
import { StepEditorPage } from './pages/StepEditorPage';
import { sectionOf, type Route } from './state/router';
import { nextPreference } from './state/theme';

const SECTIONS = [
  { key: 'overview', href: '/', label: 'Overview' },
  { key: 'steps', href: '/steps/new', label: 'New step' },
  { key: 'plan', href: '/plan', label: 'Plan & start' },
  { key: 'flows', href: '/flows', label: 'Flows' },
] as const;

const ConnectionState = () => {
  const { socket } = useServices();
  const status = useSyncExternalStore(socket.onStatus, socket.status, socket.status);
  const label = status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline';
  return (
    <span className={`connection connection-${status}`} role="status" title={`Event stream: ${label.toLowerCase()}`}>
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </span>
  );
};

const ThemeSwitch = () => {
  const { theme } = useServices();
  const { preference } = useStore(theme.state);
  const next = nextPreference(preference);
  const icon = preference === 'dark' ? '☾' : preference === 'light' ? '☀' : '◐';
  return (
    <button
      type="button"
      className="button ghost theme-switch"
      onClick={() => {
        theme.setPreference(next);
      }}
      aria-label={`Theme: ${preference}. Switch to ${next}`}
      title={`Theme: ${preference} (switch to ${next})`}
    >
      <span aria-hidden="true">{icon}</span> {preference}
    </button>
  );
};

const titleOf = (route: Route): string => {
  switch (route.name) {
    case 'overview':
      return 'Overview';
    case 'step-new':
      return 'New step';
    case 'step-edit':
      return `Step ${route.id}`;
    case 'plan':
      return 'Plan & start';
    case 'flows':
      return 'Flows';
    case 'flow':
      return `Flow ${route.id}`;
    default:
      return 'Not found';
  }
};

const Page = ({ route }: { route: Route }) => {
  switch (route.name) {
    case 'overview':
      return <OverviewPage />;
    case 'step-new':
      return <StepEditorPage key="new" />;
    case 'step-edit':
      return <StepEditorPage key={`edit:${route.id}`} stepId={route.id} created={route.created === true} />;
    case 'plan':
      return <PlanPage goals={route.goals} />;
    case 'flows':
      return <FlowListPage search={route.search} />;
    case 'flow':
      return <FlowPage key={route.id} flowId={route.id} />;
    default:
      return <NotFoundPage />;
  }
};

const Shell = () => {
  const { nav } = useServices();
  const route = useStore(nav.route);
  const section = sectionOf(route);
  useEffect(() => {
    document.title = `${titleOf(route)} · Argyll`;
  }, [route]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link href="/" className="brand" aria-label="Argyll overview">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <path d="M16 3 29 16 16 29 3 16Z" fill="none" stroke="currentColor" strokeWidth="2.6" />
            <path d="M9.5 9.5 22.5 22.5M22.5 9.5 9.5 22.5" stroke="currentColor" strokeWidth="2" opacity=".7" />
          </svg>
          Argyll
        </Link>
        <nav aria-label="Main">
          <ul className="nav-list">
            {SECTIONS.map((s) => (
              <li key={s.key}>
                <Link href={s.href} className="nav-link" aria-current={section === s.key ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-end">
          <ConnectionState />
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </div>
  );
};

export const App = ({ services }: { services: Services }) => (
  <ServicesContext.Provider value={services}>
    <Shell />
  </ServicesContext.Provider>
);
