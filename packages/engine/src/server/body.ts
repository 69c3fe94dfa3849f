/**
 * Request bodies (spec api.md §0): every body is collected as raw bytes whatever its Content-Type, within the
 * route's body limit, and decoded by the route. The Content-Type header is set aside before fastify looks at it
 * (so that unusual or malformed media types never cause a 415); only the webhook reads it back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_BODY_LIMIT } from './routes/guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's Content-Type header as sent ('' when absent). */
    argyllContentType: string;
  }
}

export const declaredContentType = (request: FastifyRequest): string => request.argyllContentType;

export const registerBodyParsing = (app: FastifyInstance): void => {
  app.decorateRequest('argyllContentType', '');
  app.addHook('onRequest', (request, _reply, done) => {
    const headers = request.raw.headers;
    const type = headers['content-type'];
    if (type !== undefined) {
      request.argyllContentType = type;
      delete headers['content-type'];
    }
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: DEFAULT_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });
};
