/**
 * Generated app contracts for the scale benchmark: `count` apps, each with one purpose granting `grants`
 * shareable fields of the supergraph, drawn at random, so that every contract passes the same checks the
 * shipped ones do (`npm run contracts -- check`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlatform } from '../../contracts/load-contracts';
import { buildCatalog, pathCoordinates } from '../../contracts/supergraph-catalog';
import { ROOT } from '../processes';
import { seededRandom } from './synthetic-trail';

/**
 * The shareable fields of a supergraph: those whose sharing class lets a contract grant them, less those a
 * seal is computed in (platform.yaml `seals`), which a purpose may grant only beside every sealed field.
 */
export function shareableFields(supergraphSdl: string): string[] {
  const catalog = buildCatalog(supergraphSdl);
  const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
  const sealedIn = new Set(Object.entries(platform?.seals ?? {}).flatMap(([type, seal]) => seal.sealedIn.map((path) => pathCoordinates(catalog, type, path)?.at(-1))));
  return [...catalog.fields.values()].filter((f) => f.sharing.class !== 'NONE' && !sealedIn.has(f.coordinate)).map((f) => f.coordinate);
}

/** `grants` distinct coordinates from `fields`, in a seeded random order. */
export function pickGrants(fields: readonly string[], grants: number, random: () => number): string[] {
  if (grants > fields.length) throw new Error(`only ${fields.length} shareable fields: cannot grant ${grants}`);
  const pool = [...fields];
  for (let i = 0; i < grants; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, grants).sort();
}

export function scaleAppName(index: number): string {
  return `scale-app-${String(index).padStart(4, '0')}`;
}

/** Writes `count` contracts (`scale-app-0001.yaml`, ...) into `dir`. */
export function writeGeneratedContracts(dir: string, supergraphSdl: string, count: number, grants: number, seed = 2600): void {
  const fields = shareableFields(supergraphSdl);
  const random = seededRandom(seed);
  for (let i = 1; i <= count; i++) {
    const app = scaleAppName(i);
    writeFileSync(
      join(dir, `${app}.yaml`),
      stringify({
        app, name: `规模测试应用 ${i}`, owner: '广东省政务服务数据管理局', contact: { name: '测试联系人' }, legalBasis: '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）',
        validFrom: '2026-01-01', validUntil: '2027-12-31', approvedBy: '广东省政务数据共享协调小组', approvedOn: '2025-12-18',
        limits: { requestsPerMinute: 600, costPerMinute: 60000 },
        purposes: [{ code: 'SCALE_TEST', description: '规模测试：生成的合同', grants: pickGrants(fields, grants, random) }],
      }),
    );
  }
}
