// Bootstrap of every worker thread the engine starts (see start.ts): loads the module named in workerData. In a
// build that is compiled JavaScript; when the engine runs from its TypeScript sources (tests, development) it is a
// `.ts` file, so tsx is registered first, as the engine itself runs through tsx there. Owns nothing else.
import { workerData } from 'node:worker_threads';

const { module } = workerData;
if (module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(module);
