/**
 * Issue 21, item 1: deploy/kubernetes/ renders with kubectl's kustomize as it is (each overlay, no flag: so
 * `kubectl apply -k` takes it), every object it renders validates against the Kubernetes schemas
 * (kubernetes-models, with no field outside its schema), and the deployment keeps what it
 * promises: the gateway replicated, autoscaled and covered by a disruption budget, each replica's audit head
 * on a claim of its own that outlives its pod; every HTTP container probed, locked down and limited; every
 * department found under subgraphs/ deployed with its own Service, database Secret and a NetworkPolicy that
 * admits only the gateway; keys only from Secrets, each where it
 * is needed, the certificate library's seal keys too; no secret in a ConfigMap; the image the Dockerfile
 * builds. The Dockerfile is checked as text
 * (no image is built here). What names each department and contract is generated (`npm run manifests`):
 * the committed files are what it writes now, and a department added under a temporary subgraphs/ with its
 * own contract is deployed by running it, with no other file edited.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IPodSpec, ISecret, IService } from 'kubernetes-models/v1';
import { loadContracts } from '../contracts/load-contracts';
import { departments } from '../scripts/departments';
import { DEV_KEYS_DIR, REPOSITORY_COPIES_DIR, manifestSources, renderManifests, staleManifests } from '../scripts/render-manifests';
import { readPublishedKeys } from '../subgraphs/licence-library/keyring';
import { KUBERNETES, ROOT, renderTree, schemaProblems, type KubernetesObject, type RenderTree } from './support/kubernetes-manifests';
import { addDepartment, departmentIndex, linkCheckoutSubgraphs } from './support/subgraphs-root';

const OVERLAYS = { dev: 'govgraph-dev', production: 'govgraph' } as const;
type Overlay = keyof typeof OVERLAYS;

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const DEPARTMENTS = departments();
/** Departments that read through the gateway as their own app: an internal contract is named after them. */
const READERS = new Set(
  loadContracts(join(ROOT, 'contracts', 'apps'))
    .contracts.map((c) => c.contract)
    .filter((c) => c.internal && DEPARTMENTS.some((d) => d.name === c.app))
    .map((c) => c.app),
);

let tree: RenderTree;
const rendered = {} as Record<Overlay, KubernetesObject[]>;

beforeAll(async () => {
  tree = await renderTree();
  for (const overlay of Object.keys(OVERLAYS) as Overlay[]) rendered[overlay] = tree.render(overlay);
});
afterAll(() => tree?.remove());

// ---- reading the rendered objects ----

interface Workload {
  kind: string;
  name: string;
  replicas: number;
  podLabels: Record<string, string>;
  pod: IPodSpec;
}

function ofKind<T>(objects: readonly KubernetesObject[], kind: string): Array<T & KubernetesObject> {
  return objects.filter((o) => o.kind === kind) as Array<T & KubernetesObject>;
}

function named<T>(objects: readonly KubernetesObject[], kind: string, name: string): T & KubernetesObject {
  const found = ofKind<T>(objects, kind).find((o) => o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in the render`);
  return found;
}

/** A generated object's name is its own with kustomize's content hash after it. */
function isNamed(actual: string | undefined, name: string): boolean {
  return actual === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(actual ?? '');
}

function workloads(objects: readonly KubernetesObject[]): Workload[] {
  return [...ofKind<IDeployment>(objects, 'Deployment'), ...ofKind<IStatefulSet>(objects, 'StatefulSet')].map((o) => ({
    kind: o.kind,
    name: o.metadata.name,
    replicas: o.spec!.replicas ?? 1,
    podLabels: o.spec!.template.metadata?.labels ?? {},
    pod: o.spec!.template.spec!,
  }));
}

const isGovGraph = (w: Workload) => ['gateway', 'department'].includes(w.podLabels['app.kubernetes.io/component'] ?? '');

function workload(objects: readonly KubernetesObject[], name: string): Workload {
  const found = workloads(objects).find((w) => w.name === name);
  if (found === undefined) throw new Error(`no workload ${name} in the render`);
  return found;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

type Setting = { value: string } | { secret: string; key: string };

/** A container's environment as the pod gets it: its ConfigMaps' entries, then its own variables. */
function environment(objects: readonly KubernetesObject[], container: IContainer): Map<string, Setting> {
  const env = new Map<string, Setting>();
  for (const source of container.envFrom ?? []) {
    const data = named<IConfigMap>(objects, 'ConfigMap', source.configMapRef!.name!).data ?? {};
    for (const [name, value] of Object.entries(data)) env.set(name, { value });
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    env.set(variable.name, secret ? { secret: secret.name!, key: secret.key } : { value: variable.value ?? '' });
  }
  return env;
}

function value(env: Map<string, Setting>, name: string): string | undefined {
  const setting = env.get(name);
  return setting && 'value' in setting ? setting.value : undefined;
}

/**
 * What a path inside the container is: a key of a mounted Secret or ConfigMap (the whole of it when the path
 * is where it is mounted, with key ''), or undefined when nothing of either is mounted there.
 */
function mounted(w: Workload, container: IContainer, path: string): { secret?: string; configMap?: string; key: string } | undefined {
  const mount = (container.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`) || path === m.mountPath);
  const volume = w.pod.volumes?.find((v) => v.name === mount?.name);
  if (mount === undefined || volume === undefined) return undefined;
  const key = path.slice(mount.mountPath.length + 1);
  if (volume.secret) return { secret: volume.secret.secretName!, key };
  if (volume.configMap) return { configMap: volume.configMap.name!, key };
  return undefined;
}

function cpuMillis(quantity: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(quantity));
  if (!match) throw new Error(`not a CPU quantity: ${quantity}`);
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
}

function memoryBytes(quantity: string | number | undefined): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  return Number(match[1]) * 1024 ** ['', 'Ki', 'Mi', 'Gi'].indexOf(match[2] ?? '');
}

/** Does a NetworkPolicy admit traffic from pods with these labels (any port)? */
function admits(policy: INetworkPolicy, from: Record<string, string>): boolean {
  return (policy.spec?.ingress ?? []).some((rule) => rule.from === undefined || rule.from.length === 0 || rule.from.some((peer) => peer.podSelector !== undefined && peer.namespaceSelector === undefined && matches(peer.podSelector.matchLabels, from)));
}

/** What of a text looks like a secret: key material, a password, credentials in a URL. */
function secretsIn(text: string): string[] {
  const found: string[] = [];
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) found.push('a PEM private key');
  if (/"kty"/.test(text) && /"d"\s*:/.test(text)) found.push('a private JWK');
  if (/password\s*[=:]/i.test(text)) found.push('a password');
  if (/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(text)) found.push('credentials in a URL');
  return found;
}

// ---- the overlays ----

describe.each(Object.keys(OVERLAYS) as Overlay[])('the %s overlay', (overlay) => {
  const objects = () => rendered[overlay];

  test('renders, and every object validates against the Kubernetes schemas', () => {
    expect(objects().length).toBeGreaterThan(DEPARTMENTS.length * 3);
    expect(objects().flatMap((o) => schemaProblems(o).map((problem) => `${o.kind} ${o.metadata.name}: ${problem}`))).toEqual([]);
    // The schemas are really applied: the gateway with its port given by name where a number belongs fails.
    const gateway = structuredClone(named<IStatefulSet>(objects(), 'StatefulSet', 'gateway'));
    (gateway.spec!.template.spec!.containers[0]!.ports![0] as { containerPort: unknown }).containerPort = 'http';
    expect(schemaProblems(gateway).join()).toContain('containerPort must be integer');
    // And a field outside its schema fails, however deep: the API server would drop a misspelt probe.
    const misspelt = structuredClone(named<IStatefulSet>(objects(), 'StatefulSet', 'gateway'));
    const container = misspelt.spec!.template.spec!.containers[0]! as IContainer & Record<string, unknown>;
    container['readinesProbe'] = container.readinessProbe;
    (container.securityContext as Record<string, unknown>)['readOnlyRootFileSystem'] = true;
    expect(schemaProblems(misspelt)).toEqual([
      'data.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem is not a field of its schema',
      'data.spec.template.spec.containers[0].readinesProbe is not a field of its schema',
    ]);
  });

  test(`puts every object in the namespace ${OVERLAYS[overlay]}`, () => {
    expect(named(objects(), 'Namespace', OVERLAYS[overlay])).toBeDefined();
    expect(objects().filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== OVERLAYS[overlay]).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
  });

  test('runs at least two gateway replicas, autoscaled and covered by a disruption budget', () => {
    const gateway = workload(objects(), 'gateway');
    expect(gateway.replicas).toBeGreaterThanOrEqual(2);
    const autoscaler = named<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler', 'gateway');
    expect(autoscaler.apiVersion).toBe('autoscaling/v2');
    expect(autoscaler.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'gateway' });
    expect(autoscaler.spec!.minReplicas).toBe(gateway.replicas);
    expect(autoscaler.spec!.maxReplicas).toBeGreaterThan(gateway.replicas);
    expect(autoscaler.spec!.metrics).toEqual([expect.objectContaining({ type: 'Resource', resource: { name: 'cpu', target: expect.objectContaining({ type: 'Utilization' }) } })]);
    const budgets = ofKind<IPodDisruptionBudget>(objects(), 'PodDisruptionBudget').filter((b) => matches(b.spec!.selector!.matchLabels, gateway.podLabels));
    expect(budgets).toHaveLength(1);
    // The budget lets a drain proceed, one replica at a time, and never takes the last one.
    expect(budgets[0]!.spec!.maxUnavailable).toBe(1);
  });

  test('probes every container that serves HTTP: liveness /healthz, readiness /readyz', () => {
    const serving = workloads(objects()).flatMap((w) => w.pod.containers.filter((c) => c.ports?.some((p) => p.name === 'http')).map((c) => ({ w, c })));
    expect(serving.map(({ w }) => w.name).sort()).toEqual(workloads(objects()).filter(isGovGraph).map((w) => w.name).sort());
    for (const { c } of serving) {
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  test('runs every container as a non-root user on a read-only root filesystem, within resource limits', () => {
    for (const w of workloads(objects())) {
      for (const c of w.pod.containers) {
        const where = `${w.name}/${c.name}`;
        expect([where, c.securityContext?.runAsNonRoot ?? w.pod.securityContext?.runAsNonRoot]).toEqual([where, true]);
        expect([where, (c.securityContext?.runAsUser ?? w.pod.securityContext?.runAsUser ?? 0) > 0]).toEqual([where, true]);
        expect([where, c.securityContext]).toEqual([where, expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })]);
        const { requests, limits } = c.resources ?? {};
        expect([where, cpuMillis(requests?.['cpu']) <= cpuMillis(limits?.['cpu']), memoryBytes(requests?.['memory']) <= memoryBytes(limits?.['memory'])]).toEqual([where, true, true]);
      }
      expect([w.name, w.pod.automountServiceAccountToken]).toEqual([w.name, false]);
    }
    // Where GovGraph's processes may write: /tmp, a memory-bounded emptyDir.
    for (const w of workloads(objects()).filter(isGovGraph)) {
      const tmp = w.pod.containers[0]!.volumeMounts!.find((m) => m.mountPath === '/tmp');
      expect([w.name, w.pod.volumes!.find((v) => v.name === tmp?.name)?.emptyDir?.sizeLimit]).toEqual([w.name, '64Mi']);
    }
  });

  test('gives every department found under subgraphs/ a Deployment, a Service and a NetworkPolicy admitting only the gateway', () => {
    const gateway = workload(objects(), 'gateway');
    const policies = ofKind<INetworkPolicy>(objects(), 'NetworkPolicy');
    expect(workloads(objects()).filter((w) => w.podLabels['app.kubernetes.io/component'] === 'department').map((w) => w.name).sort()).toEqual(DEPARTMENTS.map((d) => d.name).sort());
    for (const department of DEPARTMENTS) {
      const w = workload(objects(), department.name);
      const container = w.pod.containers[0]!;
      expect(container.args).toEqual([department.name]);
      expect(container.ports).toEqual([{ name: 'http', containerPort: department.defaultPort }]);
      const env = environment(objects(), container);
      expect(value(env, 'PORT')).toBe(String(department.defaultPort));
      const database = env.get('DATABASE_URL');
      expect([department.name, database && 'secret' in database && isNamed(database.secret, `${department.name}-database`)]).toEqual([department.name, true]);

      const service = named<IService>(objects(), 'Service', department.name);
      expect(matches(service.spec!.selector, w.podLabels)).toBe(true);
      expect(service.spec!.ports).toEqual([{ name: 'http', port: department.defaultPort, targetPort: 'http' }]);

      // Policies add up: every one that selects the department's pods admits the gateway's pods alone.
      const selecting = policies.filter((p) => matches(p.spec!.podSelector.matchLabels, w.podLabels));
      expect(selecting.map((p) => p.metadata.name)).toContain(department.name);
      for (const policy of selecting) {
        expect(policy.spec!.policyTypes).toContain('Ingress');
        for (const rule of policy.spec!.ingress ?? []) {
          expect(rule.from?.length).toBeGreaterThan(0);
          for (const peer of rule.from!) {
            expect(peer.namespaceSelector ?? peer.ipBlock).toBeUndefined();
            expect(workloads(objects()).filter((other) => matches(peer.podSelector?.matchLabels, other.podLabels)).map((other) => other.name)).toEqual(['gateway']);
          }
          expect(rule.ports).toEqual([{ port: 'http' }]);
        }
      }
      expect(admits(named<INetworkPolicy>(objects(), 'NetworkPolicy', department.name), gateway.podLabels)).toBe(true);
    }
  });

  test('has the gateway reach every department by its Service, and the audit service read the gateway’s trail', () => {
    const gateway = workload(objects(), 'gateway');
    const env = environment(objects(), gateway.pod.containers[0]!);
    const byName = (variable: string) => Object.fromEntries((value(env, variable) ?? '').split(',').map((entry) => entry.split('=') as [string, string]));
    expect(byName('SUBGRAPH_URLS')).toEqual(Object.fromEntries(DEPARTMENTS.map((d) => [d.name, `http://${d.name}:${d.defaultPort}/graphql`])));
    // Its readiness reads each department's own /readyz, which also checks the department's database.
    expect(byName('SUBGRAPH_HEALTH_URLS')).toEqual(Object.fromEntries(DEPARTMENTS.map((d) => [d.name, `http://${d.name}:${d.defaultPort}/readyz`])));
    const trail = env.get('AUDIT_DATABASE_URL');
    expect(trail).toEqual(environment(objects(), workload(objects(), 'audit').pod.containers[0]!).get('DATABASE_URL'));
    expect(env.get('RATE_LIMIT_REDIS_URL')).toEqual({ secret: expect.stringMatching(/^rate-limit-redis/), key: 'url' });
    expect(value(env, 'GATEWAY_WORKERS')).toBe('1');
    expect(value(env, 'HOST')).toBe('0.0.0.0');
    expect(named<IService>(objects(), 'Service', 'gateway').spec!.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http' }]);
  });

  test('lets a department that reads through the gateway reach it, with its own app’s key it alone holds', () => {
    expect(READERS.size).toBeGreaterThan(0);
    const gatewayPolicies = ofKind<INetworkPolicy>(objects(), 'NetworkPolicy').filter((p) => matches(p.spec!.podSelector.matchLabels, workload(objects(), 'gateway').podLabels));
    for (const department of DEPARTMENTS) {
      const w = workload(objects(), department.name);
      const container = w.pod.containers[0]!;
      const env = environment(objects(), container);
      const holdsKey = (w.pod.volumes ?? []).some((v) => /-app-key(-[a-z0-9]{10})?$/.test(v.secret?.secretName ?? ''));
      expect([department.name, holdsKey]).toEqual([department.name, READERS.has(department.name)]);
      if (!READERS.has(department.name)) continue;
      expect(value(env, 'GATEWAY_URL')).toBe('http://gateway:4000/graphql');
      const key = mounted(w, container, value(env, 'GATEWAY_CLIENT_KEY_FILE') ?? '');
      expect(isNamed(key?.secret, `${department.name}-app-key`)).toBe(true);
      expect(gatewayPolicies.some((p) => admits(p, w.podLabels))).toBe(true);
    }
  });

  test('takes every key from a Secret, and mounts each private key only where it signs or verifies', () => {
    /** Secrets whose keys only some services may hold (docs/operations.md, "Keys"); any other, every service. */
    const holders: Record<string, (w: Workload) => boolean> = {
      'gateway-signing-key': (w) => w.name === 'gateway',
      'audit-checkpoint-key': (w) => w.name === 'gateway',
      'audit-chain-key': (w) => w.name === 'gateway' || w.name === 'audit',
      ...Object.fromEntries([...READERS].map((reader) => [`${reader}-app-key`, (w: Workload) => w.name === reader])),
    };
    const needed = {
      gateway: ['GATEWAY_SIGNING_KEY_FILE', 'PLATFORM_JWKS_FILE', 'AUDIT_HMAC_KEY_FILE', 'AUDIT_CHAIN_KEY_FILE', 'AUDIT_CHECKPOINT_KEY_FILE'],
      department: ['GATEWAY_JWKS_FILE', 'AUDIT_HMAC_KEY_FILE'],
      audit: ['AUDIT_CHAIN_KEY_FILE', 'AUDIT_CHECKPOINT_KEY_FILE'],
    };
    for (const w of workloads(objects()).filter(isGovGraph)) {
      const container = w.pod.containers[0]!;
      const env = environment(objects(), container);
      const required = w.name === 'gateway' ? needed.gateway : [...needed.department, ...(w.name === 'audit' ? needed.audit : [])];
      expect([w.name, required.filter((name) => value(env, name) === undefined)]).toEqual([w.name, []]);
      for (const [name] of [...env].filter(([name]) => /(KEY|JWKS)_FILE$/.test(name))) {
        const source = mounted(w, container, value(env, name)!);
        expect([w.name, name, source?.secret !== undefined]).toEqual([w.name, name, true]);
        const secret = ofKind<ISecret>(objects(), 'Secret').find((s) => s.metadata.name === source!.secret);
        // Rendered (dev): the file is one of the Secret's keys. By reference (production): the operator's.
        if (secret) expect([w.name, name, Object.keys(secret.data ?? {})]).toEqual([w.name, name, [source!.key]]);
      }
      for (const volume of w.pod.volumes ?? []) {
        const holder = Object.entries(holders).find(([secret]) => isNamed(volume.secret?.secretName, secret));
        if (holder) expect([w.name, holder[0], holder[1](w)]).toEqual([w.name, holder[0], true]);
      }
    }
    // The gateway's app keys: the development issuer's JWKS file in dev, the identity provider's URL in production.
    const gatewayEnv = environment(objects(), workload(objects(), 'gateway').pod.containers[0]!);
    expect([value(gatewayEnv, 'APP_JWKS_FILE') !== undefined, value(gatewayEnv, 'APP_JWKS_URL') !== undefined]).toEqual(overlay === 'dev' ? [true, false] : [false, true]);
  });

  test("keeps each gateway replica's audit head file on a claim of its own that outlives the pod, beside a read-only root", () => {
    const set = named<IStatefulSet>(objects(), 'StatefulSet', 'gateway');
    expect(ofKind(objects(), 'Deployment').map((d) => d.metadata.name)).not.toContain('gateway');
    const gateway = workload(objects(), 'gateway');
    const container = gateway.pod.containers[0]!;
    const file = value(environment(objects(), container), 'AUDIT_HEAD_FILE') ?? '';
    const mount = container.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`));
    expect([file, mount?.mountPath, mount?.readOnly]).toEqual(['/var/lib/govgraph/audit-head/head.json', '/var/lib/govgraph/audit-head', undefined]);
    // Not a volume of the pod, which goes with it (an emptyDir), but the replica's own claim, audit-head-gateway-N.
    expect(gateway.pod.volumes!.map((v) => v.name)).not.toContain(mount!.name);
    expect((set.spec!.volumeClaimTemplates ?? []).map((c) => c.metadata?.name)).toEqual([mount!.name]);
    const claim = set.spec!.volumeClaimTemplates![0]!.spec!;
    expect(claim.accessModes).toEqual(['ReadWriteOnce']);
    expect(memoryBytes(claim.resources!.requests!['storage'])).toBeLessThanOrEqual(64 * 1024 ** 2);
    // The cluster's default storage class.
    expect(claim.storageClassName).toBeUndefined();
    // A replica scaled down, or the StatefulSet deleted, leaves the claims: a replica back finds its head.
    expect(set.spec!.persistentVolumeClaimRetentionPolicy).toEqual({ whenScaled: 'Retain', whenDeleted: 'Retain' });
    expect(set.spec!.podManagementPolicy).toBe('Parallel');
    // Every replica updated, one at a time, while the others serve.
    expect(set.spec!.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    const headless = named<IService>(objects(), 'Service', set.spec!.serviceName ?? '');
    expect([headless.spec!.clusterIP, matches(headless.spec!.selector, gateway.podLabels)]).toEqual(['None', true]);
  });

  test('mounts the certificate library’s seal keys from the Secret licence-seal-keys, read-only, and nowhere else', () => {
    const library = workload(objects(), 'licence-library');
    const container = library.pod.containers[0]!;
    const folder = value(environment(objects(), container), 'LICENCE_KEYS_DIR') ?? '';
    expect(mounted(library, container, folder)).toEqual({ secret: expect.stringMatching(/^licence-seal-keys(-[a-z0-9]{10})?$/), key: '' });
    expect(container.volumeMounts!.find((m) => m.mountPath === folder)?.readOnly).toBe(true);
    const holders = workloads(objects()).filter((w) => (w.pod.volumes ?? []).some((v) => isNamed(v.secret?.secretName, 'licence-seal-keys')));
    expect(holders.map((w) => w.name)).toEqual(['licence-library']);
  });

  test('reads the supergraph, the contracts and the platform file from ConfigMaps of the repository’s own files', () => {
    const files = {
      SUPERGRAPH_FILE: { 'supergraph.graphql': readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8') },
      PLATFORM_FILE: { 'platform.yaml': readFileSync(join(ROOT, 'contracts', 'platform.yaml'), 'utf8') },
      CONTRACTS_DIR: Object.fromEntries(readdirSync(join(ROOT, 'contracts', 'apps')).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(join(ROOT, 'contracts', 'apps', f), 'utf8')])),
    };
    for (const w of workloads(objects()).filter(isGovGraph)) {
      const container = w.pod.containers[0]!;
      const env = environment(objects(), container);
      const wanted = w.name === 'gateway' || w.name === 'audit' ? Object.keys(files) : ['PLATFORM_FILE', 'CONTRACTS_DIR'];
      for (const name of wanted as Array<keyof typeof files>) {
        const source = mounted(w, container, value(env, name) ?? '');
        // A file is a key of the ConfigMap; the contracts' folder is the whole of it.
        expect([w.name, name, source?.configMap !== undefined, source?.key]).toEqual([w.name, name, true, name === 'CONTRACTS_DIR' ? '' : Object.keys(files[name])[0]]);
        expect(named<IConfigMap>(objects(), 'ConfigMap', source!.configMap!).data).toEqual(files[name]);
      }
    }
  });

  test('keeps every secret out of the ConfigMaps and the containers’ plain variables', () => {
    expect(secretsIn(JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }))).toEqual(['a private JWK']);
    expect(secretsIn('postgres://govgraph:s3cret@db.example.gov.cn/audit')).toEqual(['credentials in a URL']);
    const keyContents = [...tree.keys.values()].map((text) => text.trim());
    const plain = [
      ...ofKind<IConfigMap>(objects(), 'ConfigMap').flatMap((c) => Object.entries(c.data ?? {}).map(([key, text]) => ({ where: `ConfigMap ${c.metadata.name} ${key}`, key, text }))),
      ...workloads(objects()).flatMap((w) => w.pod.containers.flatMap((c) => (c.env ?? []).filter((e) => e.value !== undefined).map((e) => ({ where: `${w.name} ${e.name}`, key: e.name, text: e.value! })))),
    ];
    expect(plain.length).toBeGreaterThan(20);
    for (const { where, key, text } of plain) {
      expect([where, secretsIn(text)]).toEqual([where, []]);
      // Database and Redis URLs may carry passwords: they come from Secrets only.
      expect([where, /DATABASE_URL|REDIS_URL|PASSWORD|SECRET|TOKEN$/.test(key)]).toEqual([where, false]);
      expect([where, keyContents.filter((k) => text.includes(k)).length]).toEqual([where, 0]);
    }
  });

  test('runs GovGraph’s containers from the image the Dockerfile builds, as the Dockerfile’s user', () => {
    const title = /org\.opencontainers\.image\.title="([^"]+)"/.exec(dockerfile)![1];
    const user = Number(/^USER (\d+)(?::\d+)?$/m.exec(dockerfile)![1]);
    for (const w of workloads(objects()).filter(isGovGraph)) {
      for (const c of w.pod.containers) {
        expect([w.name, c.image]).toEqual([w.name, expect.stringMatching(new RegExp(`(^|/)${title}:${manifest.version.replaceAll('.', '\\.')}$`))]);
        expect([w.name, w.pod.securityContext?.runAsUser]).toEqual([w.name, user]);
      }
    }
    // The commands are the build's entry points: the gateway's, and what npm run start:department runs.
    expect(workload(objects(), 'gateway').pod.containers[0]!.command).toEqual(['node', 'dist/gateway/index.js']);
    const department = workload(objects(), DEPARTMENTS[0]!.name).pod.containers[0]!;
    expect(department.command!.join(' ')).toBe(manifest.scripts['start:department']);
  });

  test('agrees, between the gateway and the departments that read through it, on the platform issuer and the audience', () => {
    const gateway = environment(objects(), workload(objects(), 'gateway').pod.containers[0]!);
    for (const reader of READERS) {
      const env = environment(objects(), workload(objects(), reader).pod.containers[0]!);
      // Unset, both sides take the same development defaults (docs/configuration.md).
      expect(value(env, 'GATEWAY_CLIENT_ISSUER')).toBe(value(gateway, 'PLATFORM_TOKEN_ISSUER'));
      expect(value(env, 'GATEWAY_CLIENT_AUDIENCE')).toBe(value(gateway, 'APP_TOKEN_AUDIENCE'));
      expect(value(env, 'AUDIT_CHECKPOINT_EVERY')).toBe(value(gateway, 'AUDIT_CHECKPOINT_EVERY'));
    }
    const audit = environment(objects(), workload(objects(), 'audit').pod.containers[0]!);
    expect(value(audit, 'AUDIT_CHECKPOINT_EVERY')).toBe(value(gateway, 'AUDIT_CHECKPOINT_EVERY'));
  });
});

describe('the dev overlay', () => {
  const objects = () => rendered.dev;

  test('runs PostgreSQL with every department’s database, reached only by GovGraph’s pods', () => {
    const created = [...readFileSync(join(KUBERNETES, 'overlays', 'dev', 'postgres-databases.sql'), 'utf8').matchAll(/^CREATE DATABASE (\w+);$/gm)].map((m) => m[1]);
    for (const department of DEPARTMENTS) {
      const setting = environment(objects(), workload(objects(), department.name).pod.containers[0]!).get('DATABASE_URL') as { secret: string; key: string };
      const url = new URL(Buffer.from(named<ISecret>(objects(), 'Secret', setting.secret).data![setting.key]!, 'base64').toString());
      expect([department.name, url.host, created.includes(url.pathname.slice(1))]).toEqual([department.name, 'postgres:5432', true]);
    }
    expect(workload(objects(), 'postgres').kind).toBe('StatefulSet');
    const admitted = (name: string) => workloads(objects()).filter((w) => admits(named<INetworkPolicy>(objects(), 'NetworkPolicy', name), w.podLabels)).map((w) => w.name).sort();
    expect(admitted('postgres')).toEqual(['gateway', ...DEPARTMENTS.map((d) => d.name)].sort());
    expect(admitted('redis')).toEqual(['gateway']);
  });

  test("migrates the audit trail as its owner in the gateway's init container; the gateway and the audit service use a role that may only append and read", () => {
    const gateway = workload(objects(), 'gateway');
    const migrate = gateway.pod.initContainers?.find((c) => c.name === 'audit-migrate');
    expect(migrate?.command).toEqual(['node', 'dist/scripts/audit.js', 'migrate']);
    const urlOf = (setting: Setting | undefined) => {
      const { secret, key } = setting as { secret: string; key: string };
      return new URL(Buffer.from(named<ISecret>(objects(), 'Secret', secret).data![key]!, 'base64').toString());
    };
    const init = environment(objects(), migrate!);
    const owner = urlOf(init.get('AUDIT_ADMIN_DATABASE_URL'));
    const writer = urlOf(init.get('AUDIT_DATABASE_URL'));
    expect(urlOf(environment(objects(), gateway.pod.containers[0]!).get('AUDIT_DATABASE_URL')).href).toBe(writer.href);
    expect(urlOf(environment(objects(), workload(objects(), 'audit').pod.containers[0]!).get('DATABASE_URL')).href).toBe(writer.href);
    expect([owner.username, writer.username, owner.pathname]).toEqual(['audit_owner', 'audit_writer', writer.pathname]);
    const created = readFileSync(join(KUBERNETES, 'overlays', 'dev', 'postgres-databases.sql'), 'utf8');
    for (const line of ['CREATE ROLE audit_owner LOGIN;', 'CREATE ROLE audit_writer LOGIN;', `ALTER DATABASE ${owner.pathname.slice(1)} OWNER TO audit_owner;`]) expect(created).toContain(`\n${line}\n`);
    // The owner's URL reaches the init container alone.
    const ownerSecret = (init.get('AUDIT_ADMIN_DATABASE_URL') as { secret: string }).secret;
    const elsewhere = workloads(objects()).flatMap((w) => w.pod.containers.flatMap((c) => [...environment(objects(), c).values()]));
    expect(elsewhere.filter((setting) => 'secret' in setting && setting.secret === ownerSecret)).toEqual([]);
  });

  test('holds the development keys in its Secrets, as made under data/keys/ and copied by npm run manifests -- --dev-keys', () => {
    const mountedFiles = ofKind<ISecret>(objects(), 'Secret').flatMap((s) => Object.entries(s.data ?? {}).map(([file, data]) => ({ file, text: Buffer.from(data, 'base64').toString() })));
    const keyFiles = mountedFiles.filter(({ file }) => tree.keys.has(file));
    expect(keyFiles.map(({ file }) => file).sort()).toEqual([...tree.keys.keys()].sort());
    for (const { file, text } of keyFiles) expect([file, text]).toEqual([file, tree.keys.get(file)]);
    // The copies are the keys under data/keys/ themselves (the checkpoint key's public half is derived).
    const made = join(tree.root, 'data', 'keys');
    for (const file of ['gateway.private.jwk.json', 'audit-chain.key', 'audit-checkpoint.pem', ...[...READERS].map((reader) => `internal-apps/${reader}.private.jwk.json`)]) {
      expect([file, tree.keys.get(file.replace(/^internal-apps\//, ''))]).toEqual([file, readFileSync(join(made, file), 'utf8')]);
    }
    expect(tree.keys.has('app-issuer.private.jwk.json')).toBe(false);
  });

  test('gives the certificate library every signer’s current seal key and the published keys, and no retired key', () => {
    const published = readPublishedKeys(join(tree.root, 'data', 'keys', 'licence', 'published-keys.json'));
    const container = workload(objects(), 'licence-library').pod.containers[0]!;
    const source = mounted(workload(objects(), 'licence-library'), container, value(environment(objects(), container), 'LICENCE_KEYS_DIR') ?? '');
    const secret = named<ISecret>(objects(), 'Secret', source!.secret!);
    const current = published.signers.map((s) => `${s.keys.find((k) => k.retiredOn === null)!.keyId}.private.pem`);
    expect(Object.keys(secret.data!).sort()).toEqual(['published-keys.json', ...current].sort());
    for (const [file, data] of Object.entries(secret.data!)) {
      expect([file, Buffer.from(data, 'base64').toString()]).toEqual([file, readFileSync(join(tree.root, 'data', 'keys', 'licence', file), 'utf8')]);
    }
  });
});

describe('the production overlay', () => {
  const objects = () => rendered.production;

  test('names every Secret by reference, each listed in deploy/kubernetes/README.md', () => {
    expect(ofKind(objects(), 'Secret')).toEqual([]);
    const readme = readFileSync(join(KUBERNETES, 'README.md'), 'utf8');
    const referenced = new Set(
      workloads(objects()).flatMap((w) => [
        ...(w.pod.volumes ?? []).flatMap((v) => (v.secret ? [v.secret.secretName!] : [])),
        ...[...(w.pod.initContainers ?? []), ...w.pod.containers].flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name!] : []))),
      ]),
    );
    expect(referenced.size).toBeGreaterThan(10);
    // Each department's database Secret is one row for all of them: <department>-database.
    const perDepartment = (suffix: string) => (name: string) => DEPARTMENTS.some((d) => name === `${d.name}-${suffix}`) && readme.includes(`\`<department>-${suffix}\``);
    const listed = (name: string) => readme.includes(`\`${name}\``) || perDepartment('database')(name) || perDepartment('app-key')(name);
    expect([...referenced].filter((name) => !listed(name))).toEqual([]);
  });

  test('runs more replicas than dev, and no database of its own', () => {
    const dev = rendered.dev;
    expect(workload(objects(), 'gateway').replicas).toBeGreaterThan(workload(dev, 'gateway').replicas);
    expect(named<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler', 'gateway').spec!.maxReplicas).toBeGreaterThan(named<IHorizontalPodAutoscaler>(dev, 'HorizontalPodAutoscaler', 'gateway').spec!.maxReplicas);
    for (const department of DEPARTMENTS) expect([department.name, workload(objects(), department.name).replicas]).toEqual([department.name, 2]);
    expect(workloads(objects()).filter((w) => !isGovGraph(w))).toEqual([]);
  });
});

describe('the generated manifests (npm run manifests)', () => {
  test('are committed as npm run manifests writes them now, each saying so or a copy of the repository’s own file', () => {
    const files = renderManifests(manifestSources(ROOT));
    expect(staleManifests(KUBERNETES, files).map((path) => `deploy/kubernetes/${path} is stale: run npm run manifests and commit the result`)).toEqual([]);
    const copies = [...files.keys()].filter((path) => path.startsWith(`${REPOSITORY_COPIES_DIR}/`));
    expect(copies.map((path) => path.slice(REPOSITORY_COPIES_DIR.length + 1)).sort()).toEqual(
      ['supergraph.graphql', 'contracts/platform.yaml', ...readdirSync(join(ROOT, 'contracts', 'apps')).filter((f) => f.endsWith('.yaml')).map((f) => `contracts/apps/${f}`)].sort(),
    );
    for (const path of copies) expect([path, files.get(path)]).toEqual([path, readFileSync(join(ROOT, path.slice(REPOSITORY_COPIES_DIR.length + 1)), 'utf8')]);
    for (const [path, text] of files) {
      if (copies.includes(path)) continue;
      expect([path, text.split('\n')[0]]).toEqual([path, expect.stringMatching(/^(#|--) Generated by `npm run manifests` from subgraphs\/\*\/ and contracts\/apps\/ — do not edit\.$/)]);
    }
  });

  describe('a department added under subgraphs/, with an internal contract of its own', () => {
    const NAME = 'human-resources';
    const PORT = Math.max(...DEPARTMENTS.map((d) => d.defaultPort)) + 1;
    let extra: RenderTree;
    const runs: Array<{ code: number; stdout: string; stderr: string }> = [];
    /** deploy/kubernetes/ of the temporary root, every file with its text, before and after the command. */
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    const objects = {} as Record<Overlay, KubernetesObject[]>;

    /** deploy/kubernetes/ but the dev overlay's keys, which --dev-keys writes. */
    const manifestFiles = (into: Record<string, string>) => {
      const dir = join(extra.root, 'deploy', 'kubernetes');
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && relative(join(dir, DEV_KEYS_DIR), e.parentPath).startsWith('..'))) {
        into[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      }
    };
    async function manifests(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'manifests.ts'), ...args, '--root', extra.root], { cwd: ROOT });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }

    beforeAll(async () => {
      extra = await renderTree();
      addDepartment(linkCheckoutSubgraphs(join(extra.root, 'subgraphs')), NAME, departmentIndex(NAME, PORT));
      // Its own app, internal as the service hall's is: it reads through the gateway.
      const hall = readFileSync(join(ROOT, 'contracts', 'apps', 'service-hall.yaml'), 'utf8');
      writeFileSync(join(extra.root, 'contracts', 'apps', `${NAME}.yaml`), hall.replace(/^app: service-hall$/m, `app: ${NAME}`));
      manifestFiles(before);
      runs.push(await manifests('--check'), await manifests(), await manifests('--check'));
      manifestFiles(after);
      // Its own app's key, made and copied into the dev overlay as for every internal app.
      runs.push(await manifests('--dev-keys'));
      for (const overlay of Object.keys(OVERLAYS) as Overlay[]) objects[overlay] = extra.render(overlay);
    }, 120_000);
    afterAll(() => extra?.remove());

    test('--check names the stale files and exits 1; the command writes them, and only them', () => {
      const copy = `${REPOSITORY_COPIES_DIR}/contracts/apps/${NAME}.yaml`;
      const generated = ['base/departments/departments.yaml', 'base/config-maps.yaml', 'overlays/dev/department-databases.yaml', 'overlays/dev/internal-app-keys.yaml', 'overlays/dev/postgres-databases.sql', copy];
      const [check, write, recheck, devKeys] = runs;
      expect(check).toMatchObject({ code: 1, stdout: '' });
      for (const path of generated) expect(check!.stderr).toContain(`deploy/kubernetes/${path} is not what npm run manifests writes`);
      expect(check!.stderr).toMatch(/\nrun npm run manifests and commit the result\n$/);
      expect(write).toMatchObject({ code: 0, stderr: '' });
      expect(recheck).toEqual({ code: 0, stdout: expect.stringMatching(/^the generated manifests are up to date/), stderr: '' });
      expect(Object.keys(after).sort()).toEqual([...Object.keys(before), copy].sort());
      expect(Object.keys(after).filter((path) => after[path] !== before[path]).sort()).toEqual(generated.sort());
      expect(devKeys).toEqual({ code: 0, stdout: expect.stringMatching(/^copied \d+ development key files into /), stderr: '' });
    });

    describe.each(Object.keys(OVERLAYS) as Overlay[])('rendered by the %s overlay', (overlay) => {
      test('validates, and deploys it as every department: its Deployment, Service, database Secret and a NetworkPolicy admitting only the gateway', () => {
        expect(objects[overlay].flatMap((o) => schemaProblems(o).map((problem) => `${o.kind} ${o.metadata.name}: ${problem}`))).toEqual([]);
        const w = workload(objects[overlay], NAME);
        const container = w.pod.containers[0]!;
        expect(container.args).toEqual([NAME]);
        expect(container.ports).toEqual([{ name: 'http', containerPort: PORT }]);
        // What every department shares reaches it by its label: the image's command, the probes, the replicas.
        expect(container.command).toEqual(workload(objects[overlay], DEPARTMENTS[0]!.name).pod.containers[0]!.command);
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
        expect(w.replicas).toBe(workload(objects[overlay], DEPARTMENTS[0]!.name).replicas);
        const env = environment(objects[overlay], container);
        expect(value(env, 'PORT')).toBe(String(PORT));
        const database = env.get('DATABASE_URL');
        expect(database && 'secret' in database && isNamed(database.secret, `${NAME}-database`)).toBe(true);

        expect(named<IService>(objects[overlay], 'Service', NAME).spec!.ports).toEqual([{ name: 'http', port: PORT, targetPort: 'http' }]);
        const policy = named<INetworkPolicy>(objects[overlay], 'NetworkPolicy', NAME);
        expect(matches(policy.spec!.podSelector.matchLabels, w.podLabels)).toBe(true);
        expect(workloads(objects[overlay]).filter((other) => admits(policy, other.podLabels)).map((other) => other.name)).toEqual(['gateway']);

        const gateway = environment(objects[overlay], workload(objects[overlay], 'gateway').pod.containers[0]!);
        expect((value(gateway, 'SUBGRAPH_URLS') ?? '').split(',')).toContain(`${NAME}=http://${NAME}:${PORT}/graphql`);
      });

      test('gives it its own app’s key, its contract being internal, and every pod its contract', () => {
        const w = workload(objects[overlay], NAME);
        const container = w.pod.containers[0]!;
        const key = mounted(w, container, value(environment(objects[overlay], container), 'GATEWAY_CLIENT_KEY_FILE') ?? '');
        expect(isNamed(key?.secret, `${NAME}-app-key`)).toBe(true);
        const contracts = mounted(w, container, value(environment(objects[overlay], container), 'CONTRACTS_DIR') ?? '');
        expect(Object.keys(named<IConfigMap>(objects[overlay], 'ConfigMap', contracts!.configMap!).data ?? {})).toContain(`${NAME}.yaml`);
      });
    });

    test('has the dev PostgreSQL create its database, and admit it', () => {
      const setting = environment(objects.dev, workload(objects.dev, NAME).pod.containers[0]!).get('DATABASE_URL') as { secret: string; key: string };
      const url = new URL(Buffer.from(named<ISecret>(objects.dev, 'Secret', setting.secret).data![setting.key]!, 'base64').toString());
      expect(url.host).toBe('postgres:5432');
      expect(after['overlays/dev/postgres-databases.sql']).toContain(`\nCREATE DATABASE ${url.pathname.slice(1)};\n`);
      expect(admits(named<INetworkPolicy>(objects.dev, 'NetworkPolicy', 'postgres'), workload(objects.dev, NAME).podLabels)).toBe(true);
    });
  });
});

describe('the Dockerfile', () => {
  const lines = dockerfile.split('\n');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  test('begins with the Node major version, and every stage is on that Node’s Debian slim image', () => {
    expect(lines[0]).toMatch(/^ARG NODE_MAJOR=\d+$/);
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:\$\{NODE_MAJOR\}-bookworm-slim AS \w+$/);
  });

  test('builds in one stage and runs the production dependencies and the build in the last, as a non-root user', () => {
    expect(stages[0]).toMatch(/^RUN npm ci .*--ignore-scripts/m);
    expect(stages[0]).toMatch(/^RUN npm run -s build$/m);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/^RUN npm ci --omit=dev /m);
    expect(runtime).not.toMatch(/^RUN npm ci (?!--omit=dev)/m);
    for (const built of ['dist', 'subgraphs/kit/dist', 'console/dist']) expect(runtime).toContain(`COPY --from=build /app/${built} ${built}`);
    const users = [...runtime.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]!);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).toMatch(/^CMD \["node", "dist\/gateway\/index\.js"\]$/m);
  });

  test('leaves the development keys and whatever the host built out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const path of ['data', '**/node_modules', 'dist', 'console/dist', 'subgraphs/kit/dist', '.git']) expect(ignored).toContain(path);
  });
});
