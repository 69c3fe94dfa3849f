/**
 * Public surface of the HTTP step invoker adapter: the invoker factory and the URL template expansion that
 * compensation, previews and tests share.
 */
export { createHttpInvoker, DEFAULT_HEALTH_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES } from './invoker.js';
export type { HttpInvokerOptions } from './invoker.js';
export { encodeArgument, expandTemplate } from './expand-template.js';
export type { ExpandedTemplate } from './expand-template.js';
