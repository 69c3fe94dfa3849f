/**
 * Catalog projection (spec model.md §9). Pure data shapes.
 */
import type { AttributeEdges, Step } from '../model/types.js';

export interface CatalogState {
  lastUpdated?: number;
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
  /** Next sequence of the catalog stream. */
  sequence: number;
}

export const emptyCatalog = (): CatalogState => ({ steps: {}, attributes: {}, sequence: 0 });
