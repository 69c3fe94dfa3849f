/**
 * Transport failures of outbound step calls: the text that follows `work not completed\n` (api.md §10.7) or becomes
 * a health error (§13), and the one non-transport failure an exchange can raise, an unusable target URL.
 */

/** The target URL cannot be parsed or is not http(s); retrying cannot help. */
export class InvalidTargetError extends Error {
  constructor(readonly url: string) {
    super(`invalid URL: ${url}`);
    this.name = 'InvalidTargetError';
  }
}

const codeOf = (error: object): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
};

/**
 * The error's own message; for an empty message (e.g. the AggregateError of a multi-address connect) the first
 * inner error's text, else the error code, else the error's name.
 */
export const transportErrorText = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const text = transportErrorText(inner);
      if (text !== '') return text;
    }
  }
  return codeOf(error) ?? error.name;
};
