/** Runs a department as a process of its own: configuration from the environment, stop on a signal. */
import { loadSubgraphConfig } from './config';
import type { Department, DepartmentStore } from './department';
import { startDepartment } from './server';
import { DEFAULT_WORLD_SIZE } from './synthetic/world';

export function runDepartment<DB, S extends DepartmentStore, L>(department: Department<DB, S, L>): void {
  const start = async () => {
    const service = await startDepartment(department, loadSubgraphConfig(department.name, department.defaultPort), { seedIfEmpty: DEFAULT_WORLD_SIZE });
    const stop = () => void service.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  };
  start().catch((error: unknown) => {
    console.error(`${department.name} did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
