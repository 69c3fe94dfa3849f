// Worker bootstrap for the JavaScript script host: the engine runs from TypeScript sources through tsx (as the
// engine itself does), so the worker registers tsx before loading its TypeScript entry. Owns nothing else.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
