/**
 * Malformed HTTP that never reaches the router (bad request line, oversized headers, client timeouts) still gets a
 * Problem Details body rather than fastify's default JSON.
 */
import type { Socket } from 'node:net';
import { ErrorCode } from '../model/errors.js';
import { CORS_HEADERS, PROBLEM_CONTENT_TYPE, problemOf } from './problem.js';

export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = JSON.stringify(problemOf(ErrorCode.invalidJson, 'invalid JSON request: malformed HTTP request', '/'));
    const headers = Object.entries(CORS_HEADERS)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n${headers}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
