// Worker bootstrap for the JavaScript script host. Next to the compiled engine it loads the compiled worker; next to
// the TypeScript sources (tests, development) it registers tsx first, as the engine itself runs through tsx there.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./worker.js', import.meta.url))) {
  await import('./worker.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
