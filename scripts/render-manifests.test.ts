/**
 * What `npm run manifests` renders from the departments and the contracts, and what it refuses. The
 * rendered manifests themselves are rendered by kubectl and checked in tests/kubernetes.test.ts.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { addDepartment, departmentIndex, linkCheckoutSubgraphs } from '../tests/support/subgraphs-root';
import { GATEWAY_READER_LABEL, MANIFESTS_HEADER, REPOSITORY_COPIES_DIR, manifestSources, renderManifests, staleManifests, type ManifestSources } from './render-manifests';

const REPO = join(__dirname, '..');

const sources: ManifestSources = {
  departments: [
    { name: 'civil-affairs', title: '民政 civil affairs', defaultPort: 4003 },
    { name: 'service-hall', title: '政务服务\nservice hall', defaultPort: 4004 },
  ],
  contractFiles: ['auditor.yaml', 'service-hall.yaml'],
  internalApps: new Set(['service-hall', 'auditor']),
  repositoryFiles: new Map([
    ['supergraph.graphql', 'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query }\n'],
    ['contracts/apps/auditor.yaml', 'app: auditor\n'],
  ]),
};
const files = renderManifests(sources);
const yaml = (path: string) => parseAllDocuments(files.get(path)!).map((d) => d.toJS() as { kind: string; metadata: { name: string; labels?: Record<string, string> }; [field: string]: unknown });

test('every file says it is generated, and by what; the repository’s files are copied into the base as they are', () => {
  const copies = ['base/repository/contracts/apps/auditor.yaml', 'base/repository/supergraph.graphql'];
  expect([...files.keys()].sort()).toEqual(['base/config-maps.yaml', 'base/departments/departments.yaml', ...copies, 'overlays/dev/department-databases.yaml', 'overlays/dev/internal-app-keys.yaml', 'overlays/dev/postgres-databases.sql']);
  for (const [path, text] of files) {
    if (copies.includes(path)) expect(text).toBe(sources.repositoryFiles.get(path.slice(REPOSITORY_COPIES_DIR.length + 1)));
    else expect([path, text.split('\n')[0]]).toEqual([path, (path.endsWith('.sql') ? MANIFESTS_HEADER.replace('#', '--') : MANIFESTS_HEADER).trimEnd()]);
  }
});

test('a copy no longer written (its contract removed) is stale, as is a file that differs or is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-manifests-'));
  try {
    for (const [path, text] of files) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    expect(staleManifests(dir, files)).toEqual([]);
    writeFileSync(join(dir, REPOSITORY_COPIES_DIR, 'contracts', 'apps', 'retired.yaml'), 'app: retired\n');
    writeFileSync(join(dir, REPOSITORY_COPIES_DIR, 'supergraph.graphql'), 'type Query { a: Int }\n');
    rmSync(join(dir, 'base', 'config-maps.yaml'));
    expect(staleManifests(dir, files).sort()).toEqual(['base/config-maps.yaml', `${REPOSITORY_COPIES_DIR}/contracts/apps/retired.yaml`, `${REPOSITORY_COPIES_DIR}/supergraph.graphql`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each department gets a Deployment, a Service and a NetworkPolicy, in port order; a title of several lines is one comment line', () => {
  expect(yaml('base/departments/departments.yaml').map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
    'Deployment civil-affairs',
    'Service civil-affairs',
    'NetworkPolicy civil-affairs',
    'Deployment service-hall',
    'Service service-hall',
    'NetworkPolicy service-hall',
  ]);
  expect(files.get('base/departments/departments.yaml')).toContain('\n# 政务服务 service hall: its subgraph');
});

test('only a department whose own app contract is internal is labelled to read through the gateway', () => {
  const labelled = yaml('base/departments/departments.yaml').filter((o) => o.metadata.labels?.[GATEWAY_READER_LABEL] === 'true');
  expect(labelled.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['Deployment service-hall']);
});

test('a department that reads through the gateway mounts its own app’s key alone, from a Secret named after it', () => {
  const [hall] = yaml('base/departments/departments.yaml').filter((o) => o.kind === 'Deployment' && o.metadata.name === 'service-hall');
  expect(hall).toMatchObject({
    spec: {
      template: {
        spec: {
          containers: [{ env: expect.arrayContaining([{ name: 'GATEWAY_CLIENT_KEY_FILE', value: '/etc/govgraph/keys/app-key/service-hall.private.jwk.json' }]), volumeMounts: [{ name: 'app-key', mountPath: '/etc/govgraph/keys/app-key', readOnly: true }] }],
          volumes: [{ name: 'app-key', secret: { secretName: 'service-hall-app-key' } }],
        },
      },
    },
  });
  expect(JSON.stringify(yaml('base/departments/departments.yaml').filter((o) => o.metadata.name === 'civil-affairs'))).not.toContain('app-key');
  expect(yaml('overlays/dev/internal-app-keys.yaml')).toEqual([
    expect.objectContaining({ kind: 'SecretGenerator', metadata: { name: 'service-hall-app-key' }, files: ['keys/internal-apps/service-hall.private.jwk.json'] }),
  ]);
});

test('the gateway’s SUBGRAPH_URLS and SUBGRAPH_HEALTH_URLS, the contracts’ files and the dev databases name every department and contract', () => {
  const [contracts, settings] = yaml('base/config-maps.yaml');
  expect(contracts).toMatchObject({ kind: 'ConfigMapGenerator', metadata: { name: 'contracts' }, files: ['auditor.yaml=repository/contracts/apps/auditor.yaml', 'service-hall.yaml=repository/contracts/apps/service-hall.yaml'] });
  expect(settings).toMatchObject({
    metadata: { name: 'gateway-settings' },
    behavior: 'merge',
    literals: [
      'SUBGRAPH_URLS=civil-affairs=http://civil-affairs:4003/graphql,service-hall=http://service-hall:4004/graphql',
      'SUBGRAPH_HEALTH_URLS=civil-affairs=http://civil-affairs:4003/readyz,service-hall=http://service-hall:4004/readyz',
    ],
  });
  expect(yaml('overlays/dev/department-databases.yaml')).toEqual([
    expect.objectContaining({ kind: 'SecretGenerator', metadata: { name: 'civil-affairs-database' }, literals: ['url=postgres://postgres@postgres:5432/civil_affairs'] }),
    expect.objectContaining({ kind: 'SecretGenerator', metadata: { name: 'service-hall-database' }, literals: ['url=postgres://postgres@postgres:5432/service_hall'] }),
  ]);
  expect(files.get('overlays/dev/postgres-databases.sql')).toMatch(/\nCREATE DATABASE civil_affairs;\nCREATE DATABASE service_hall;\n$/);
});

test('npm run manifests removes the copy of a contract no longer in contracts/apps/, and then finds nothing stale', async () => {
  const root = mkdtempSync(join(tmpdir(), 'govgraph-manifests-'));
  try {
    linkCheckoutSubgraphs(join(root, 'subgraphs'));
    for (const path of ['contracts', 'supergraph.graphql']) cpSync(join(REPO, path), join(root, path), { recursive: true });
    const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'manifests.ts'), ...args, '--root', root], { cwd: REPO });
    await run();
    const stray = join(root, 'deploy', 'kubernetes', REPOSITORY_COPIES_DIR, 'contracts', 'apps', 'retired.yaml');
    writeFileSync(stray, 'app: retired\n');
    expect((await run()).stdout).toContain(`${REPOSITORY_COPIES_DIR}/contracts/apps/retired.yaml`);
    expect(existsSync(stray)).toBe(false);
    expect((await run('--check')).stdout).toMatch(/^the generated manifests are up to date/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('a root it cannot render', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'govgraph-manifests-'));
    linkCheckoutSubgraphs(join(root, 'subgraphs'));
    cpSync(join(REPO, 'contracts', 'apps'), join(root, 'contracts', 'apps'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('a department no Service can be named after, and a contract that is not valid: each named, with its fix', () => {
    addDepartment(join(root, 'subgraphs'), '4th-bureau', departmentIndex('4th-bureau', 4099));
    writeFileSync(join(root, 'contracts', 'apps', 'auditor.yaml'), 'app: auditor\n');
    expect(() => manifestSources(root)).toThrow(
      /^The manifests cannot be rendered:\n {2}- subgraphs\/4th-bureau: a department deployed on Kubernetes is named as a Service is: lower-case letters, digits and hyphens, beginning with a letter.*\n {2}- .*auditor\.yaml: .*\(npm run contracts -- check lists every problem\)/,
    );
  });

  test('npm run manifests says so in one message, without a stack trace, and exits 1', async () => {
    writeFileSync(join(root, 'contracts', 'apps', 'auditor.yaml'), 'app: auditor\n');
    const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'manifests.ts'), '--root', root], { cwd: REPO }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^The manifests cannot be rendered:\n {2}- .*auditor\.yaml: /) });
    expect(failed.stderr).not.toMatch(/^\s+at /m);
  });
});
