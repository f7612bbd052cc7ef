/**
 * Requests Node's HTTP parser refuses before any handler sees them — headers larger than it reads (431),
 * a request line or header that is not HTTP (400), a request that took too long to arrive (408) — are
 * answered here, after their record is written: they may have been meant for /graphql, and the trail
 * holds every request (gateway/request-record.ts). Each gets a fresh request id, since its headers were
 * never read; the answer carries it.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { AuditTrail } from './audit-trail';
import { errorBody, type ErrorCode } from './errors';
import { openRequestRecord, unrecordedEntry } from './request-record';

function refusalOf(code: string): { status: number; error: ErrorCode; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: 'LIMIT_EXCEEDED', message: 'The request headers are too large.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'BAD_REQUEST', message: 'The request did not arrive in time.' };
  return { status: 400, error: 'BAD_REQUEST', message: 'The request is not valid HTTP.' };
}

export function recordClientErrors(server: Server, trail: AuditTrail, logger: Logger): void {
  // A socket whose request a handler is answering: that handler records it, and answers it if it still can.
  const answering = new WeakSet<Duplex>();
  server.on('request', (req, res) => {
    answering.add(req.socket);
    res.once('close', () => answering.delete(req.socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? '';
    const refusable = code.startsWith('HPE_') || code === 'ERR_HTTP_REQUEST_TIMEOUT';
    // A reset or closed connection carried no request to answer.
    if (!refusable || !socket.writable || answering.has(socket)) return void socket.destroy();
    const { status, error: errorCode, message } = refusalOf(code);
    const record = openRequestRecord(trail, randomUUID());
    void record
      .append(unrecordedEntry(trail, record, [errorCode], message))
      .catch((auditError: unknown) => logger.error({ err: auditError, requestId: record.requestId }, 'audit record of a refused request not written'))
      .finally(() => {
        if (!socket.writable) return void socket.destroy();
        const body = JSON.stringify(errorBody(errorCode, message));
        const head = [
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
          'connection: close',
          'content-type: application/json; charset=utf-8',
          `content-length: ${Buffer.byteLength(body)}`,
          `x-request-id: ${record.requestId}`,
          'cache-control: no-store',
          'x-content-type-options: nosniff',
          'x-frame-options: DENY',
        ];
        socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
      });
  });
}
