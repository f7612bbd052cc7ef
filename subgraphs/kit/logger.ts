/**
 * Structured logs (pino). Nothing logs variables, arguments or results, so raw identifiers never reach a
 * log; the redaction list is a second line of defence for headers.
 */
import pino, { type Logger } from 'pino';

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
  });
}
