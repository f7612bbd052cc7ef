/** Runs the gateway as a process of its own: `npm run start:gateway`. */
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

startGateway(loadGatewayConfig())
  .then((gateway) => {
    const stop = () => void gateway.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(`The gateway did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
