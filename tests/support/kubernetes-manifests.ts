/**
 * The Kubernetes manifests of deploy/kubernetes/ as kubectl renders them, plainly (kustomize's default load
 * restrictor: nothing outside the overlay's tree), for tests/kubernetes.test.ts. The dev overlay reads the
 * development keys its keys/ folder holds: each overlay is rendered from a copy of deploy/kubernetes/ in a
 * temporary folder, whose keys/ is filled by `npm run manifests -- --dev-keys`'s code from keys made there,
 * so a test never reads or writes the checkout's own data/ or keys/.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { writeKubernetesDevKeys } from '../../scripts/kubernetes-dev-keys';
import { DEV_KEYS_DIR } from '../../scripts/render-manifests';

export const ROOT = join(__dirname, '..', '..');
export const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');

/** The manifests, and what npm run manifests renders them from. */
const COPIED = ['deploy/kubernetes', 'supergraph.graphql', 'contracts/apps', 'contracts/platform.yaml'];

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The schema of every kind the manifests use: an object of another kind is a problem in itself. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** What the schema's validator did with one object of the manifest: the fields it read, whether it listed them all. */
interface Visit {
  read: Set<string>;
  listed: boolean;
}

/**
 * The object as the validator sees it, each of its objects recording what the validator does with it. The
 * models' validators (compiled JSON schemas) read every field their schema names and list the fields only
 * of a map (labels, a ConfigMap's data): a field of an object neither read nor listed is outside its schema.
 */
function recording(value: unknown, visits: Map<object, Visit>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const visit: Visit = { read: new Set(), listed: false };
  if (!Array.isArray(value)) visits.set(value, visit);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') visit.read.add(key);
      if (!wrapped.has(key)) wrapped.set(key, recording(Reflect.get(target, key, receiver), visits));
      return wrapped.get(key);
    },
    has(target, key) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      visit.listed = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** The fields of `value` (at `path`) that its schema does not name, as JSON paths. */
function unknownFields(value: unknown, visits: ReadonlyMap<object, Visit>, path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => unknownFields(item, visits, `${path}[${index}]`));
  const visit = visits.get(value);
  // Never reached by the validator: its parent's field is already named, or its schema takes anything.
  if (visit === undefined) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    visit.listed || visit.read.has(key) ? unknownFields(child, visits, `${path}.${key}`) : [`${path}.${key} is not a field of its schema`],
  );
}

/**
 * The schema problems of one rendered object, empty when it validates: what the model's validator finds,
 * and every field its schema does not name (the API server drops or refuses those: a `readinesProbe` is
 * no probe), which the validator alone lets through.
 */
export function schemaProblems(object: KubernetesObject): string[] {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (Model === undefined) return [`${object.apiVersion} ${object.kind} has no schema here: add its model to tests/support/kubernetes-manifests.ts`];
  const data = structuredClone(object);
  const visits = new Map<object, Visit>();
  const problems: string[] = [];
  try {
    Model.prototype.validate.call(recording(data, visits));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return [...problems, ...unknownFields(data, visits, 'data')];
}

/**
 * kustomize writes a Secret's base64 in lines of 76 characters, which the API server's decoder reads as one
 * (it skips line breaks); the schema's byte format does not, so the lines are joined as the server would.
 */
function withUnwrappedSecrets(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret' || typeof object['data'] !== 'object' || object['data'] === null) return object;
  const data = Object.fromEntries(Object.entries(object['data']).map(([key, text]) => [key, String(text).replace(/\n/g, '')]));
  return { ...object, data };
}

export interface RenderTree {
  /** The temporary copy of the repository's files the manifests are made from. */
  root: string;
  /** The development keys copied into the dev overlay's keys/: file name → contents. */
  keys: Map<string, string>;
  render(overlay: string): KubernetesObject[];
  remove(): void;
}

function kubectl(args: string[]): string {
  try {
    return execFileSync('kubectl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('kubectl is not installed: .ci/run installs it (deploy/kubernetes/README.md)');
    throw new Error(`kubectl ${args.join(' ')} failed: ${failure.stderr ?? failure.message}`);
  }
}

/** A copy of the manifests and what they are made from, the dev overlay's keys/ filled as README.md says. */
export async function renderTree(): Promise<RenderTree> {
  const root = mkdtempSync(join(tmpdir(), 'govgraph-kubernetes-'));
  const checkoutKeys = join(KUBERNETES, DEV_KEYS_DIR);
  for (const path of COPIED) cpSync(join(ROOT, path), join(root, path), { recursive: true, filter: (source) => relative(checkoutKeys, source).startsWith('..') });
  const written = await writeKubernetesDevKeys(root, join(root, 'data'));
  const keysDir = join(root, 'deploy', 'kubernetes', DEV_KEYS_DIR);
  const keys = new Map(written.filter((file) => !file.endsWith('.yaml')).map((file) => [basename(file), readFileSync(join(keysDir, file), 'utf8')]));
  return {
    root,
    keys,
    render: (overlay) => {
      const text = kubectl(['kustomize', join(root, 'deploy', 'kubernetes', 'overlays', overlay)]);
      return parseAllDocuments(text).map((document) => withUnwrappedSecrets(document.toJS() as KubernetesObject));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
