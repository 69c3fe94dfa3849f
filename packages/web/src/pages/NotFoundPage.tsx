/** Shown for a path the UI does not know. */
import { EmptyState } from '../components/EmptyState';
import { Link } from '../components/Link';

export const NotFoundPage = () => (
  <EmptyState title="Page not found">
    <Link className="button" href="/">
      Back to the overview
    </Link>
  </EmptyState>
);
