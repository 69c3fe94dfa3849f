/**
 * Reads a response body into memory up to a byte limit. Over the limit the body is destroyed (the connection is not
 * reused) and `null` is returned; nothing beyond the limit is buffered. Stream errors (including an abort at the
 * call's deadline) reject.
 */
import type { Readable } from 'node:stream';

export const readLimited = (
  body: Readable,
  limit: number,
  declaredLength: string | undefined,
): Promise<Buffer | null> => {
  if (declaredLength !== undefined && Number(declaredLength) > limit) {
    body.on('error', ignoreAfterDestroy);
    body.destroy();
    return Promise.resolve(null);
  }
  return new Promise<Buffer | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('error', reject);
        body.on('error', ignoreAfterDestroy);
        body.destroy();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', reject);
  });
};

/** Once the body was given up on, a late stream error carries no information. */
const ignoreAfterDestroy = (): void => undefined;
