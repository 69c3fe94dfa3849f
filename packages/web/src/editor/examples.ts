/**
 * Example step definitions from the product description (spec seed.txt), offered to people starting with an
 * empty catalog.
 */
import type { JsonObject } from '../api/types';

export const HELLO_SCRIPT: JsonObject = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: {
    name: { role: 'required', type: 'string' },
    greeting: { role: 'output', type: 'string' },
  },
  script: { language: 'ale', script: '{:greeting name}' },
};
