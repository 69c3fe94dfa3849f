/**
 * The engine's id sanitising rule (spec model.md §2.1), so forms can show the id the engine will store.
 */
export const sanitizeId = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/[^a-z0-9_.+\- ]/g, '')
    .replace(/ /g, '-')
    .replace(/^-+|-+$/g, '');

/** A readable, practically unique flow id: the first goal plus a base-36 time and random suffix. */
export const suggestFlowId = (goals: readonly string[], now: number, random: number): string => {
  const stem = sanitizeId(goals[0] ?? 'flow').slice(0, 40) || 'flow';
  const suffix = Math.floor(random * 36 ** 3)
    .toString(36)
    .padStart(3, '0');
  return `${stem}-${now.toString(36)}${suffix}`;
};
