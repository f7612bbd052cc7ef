/**
 * Structured logs (pino). Nothing logs variables, arguments or results, so raw identifiers never reach a
 * log; the redaction list is a second line of defence for headers. A line written during a traced
 * request carries its trace_id and span_id.
 */
import pino, { type Logger } from 'pino';
import { traceLogFields } from '../../http/tracing';

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    mixin: traceLogFields,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
  });
}
