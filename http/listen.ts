/**
 * Starts a server listening, as a promise: a port that cannot be had (taken by another process, not ours to
 * bind) rejects with a sentence naming it, which the service's start reports as why it did not start, rather
 * than an 'error' event no one listens for (Node prints its stack and the process dies).
 */
import type { Server } from 'node:net';

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use by another process' : error.code === 'EACCES' ? 'may not be bound by this user' : `cannot be listened on (${error.code ?? error.message})`;
      reject(new Error(`port ${port} on ${host} ${why}: stop what holds it, or set PORT to another.`));
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
