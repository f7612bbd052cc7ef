/** Runs a department as a process of its own: configuration from the environment, a graceful stop on a signal. */
import { stopOnSignals } from '../../http/stop-on-signals';
import { loadSubgraphConfig } from './config';
import type { Department, DepartmentStore } from './department';
import { startDepartment } from './server';
import { DEFAULT_WORLD_SIZE } from './synthetic/world';

export function runDepartment<DB, S extends DepartmentStore, L>(department: Department<DB, S, L>): void {
  const start = async () => {
    const config = loadSubgraphConfig(department.name, department.defaultPort);
    // Signals taken over before the store opens: one during the seeding stops the department once seeded.
    const starting = startDepartment(department, config, { seedIfEmpty: DEFAULT_WORLD_SIZE });
    stopOnSignals(department.name, starting.then((service) => (timing) => service.stop(timing)), config.shutdown);
    await starting;
  };
  start().catch((error: unknown) => {
    console.error(`${department.name} did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
