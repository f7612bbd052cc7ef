/** A contract file for an app the platform's own people run — a test suite's, a rehearsal's load. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Writes `<app>.yaml` in `dir`: owned and approved by `owner`, in force from 2020 to 2099, with the app's own fields. */
export function writeOwnContract(dir: string, owner: { name: string; contact: string }, contract: { app: string; name: string } & Record<string, unknown>): void {
  const common = {
    owner: owner.name,
    contact: { name: owner.contact },
    validFrom: '2020-01-01',
    validUntil: '2099-12-31',
    approvedBy: owner.name,
    approvedOn: '2020-01-01',
  };
  writeFileSync(join(dir, `${contract.app}.yaml`), stringify({ ...common, ...contract }));
}
