import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from './listen';

test('a port another server holds is refused with a sentence naming it; a free one listens', async () => {
  const holder = createServer();
  await listen(holder, 0, '127.0.0.1');
  const { port } = holder.address() as AddressInfo;
  try {
    const second = createServer();
    await expect(listen(second, port, '127.0.0.1')).rejects.toThrow(`port ${port} on 127.0.0.1 is in use by another process: stop what holds it, or set PORT to another.`);
    expect(second.listening).toBe(false);
    // The refusal leaves no listener behind: the same server listens once the port is free.
    expect(second.listenerCount('error')).toBe(0);
  } finally {
    await new Promise((done) => holder.close(done));
  }
});
