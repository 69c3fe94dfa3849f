/**
 * Ale's core library table: every core name of spec engine.md §25.3 mapped to its function. Built once per engine
 * (immutable afterwards) and consulted by the analyser after locals and script variables.
 */
import { collectionFunctions } from './core-collections.js';
import { higherOrderFunctions } from './core-higher.js';
import { mathFunctions } from './core-math.js';
import { stringFunctions } from './core-strings.js';
import type { AleFunction } from './values.js';

export type CoreLibrary = ReadonlyMap<string, AleFunction>;

export const createCore = (): CoreLibrary =>
  new Map(
    [...mathFunctions(), ...stringFunctions(), ...collectionFunctions(), ...higherOrderFunctions()].map((f) => [
      f.name,
      f,
    ]),
  );
