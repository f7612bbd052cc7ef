/**
 * The Kubernetes manifests of deploy/kubernetes/ as kubectl renders them, for tests/kubernetes.test.ts. The
 * overlays read the repository's supergraph and contracts, and the dev overlay its development keys under
 * data/keys/: each overlay is rendered from a copy of those files in a temporary folder, beside keys made
 * there by the development-keys script and the README's openssl command, so a test never reads or writes
 * the checkout's own data/.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { devKeyFiles, ensureDevKeys } from '../../scripts/dev-keys';

export const ROOT = join(__dirname, '..', '..');
export const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');

/** What the manifests read, as the repository lays it out. */
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

/** The schema problems of one rendered object, empty when it validates. */
export function schemaProblems(object: KubernetesObject): string[] {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (Model === undefined) return [`${object.apiVersion} ${object.kind} has no schema here: add its model to tests/support/kubernetes-manifests.ts`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
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
  /** The temporary copy of the repository's files the manifests read. */
  root: string;
  /** The development keys made there: file name → contents. */
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

/** A copy of what the overlays read, with development keys under its data/keys/ as the README makes them. */
export async function renderTree(): Promise<RenderTree> {
  const root = mkdtempSync(join(tmpdir(), 'govgraph-kubernetes-'));
  for (const path of COPIED) cpSync(join(ROOT, path), join(root, path), { recursive: true });
  const files = await ensureDevKeys(join(root, 'data'));
  execFileSync('openssl', ['pkey', '-in', files.auditCheckpointKey, '-pubout', '-out', join(files.dir, 'audit-checkpoint.public.pem')]);
  const folders = new Set([files.dir, files.internalAppKeysDir]);
  const appKeys = readdirSync(files.internalAppKeysDir).map((name) => join(files.internalAppKeysDir, name));
  const keyFiles = [...Object.values(devKeyFiles(join(root, 'data'))).filter((file) => !folders.has(file)), ...appKeys, join(files.dir, 'audit-checkpoint.public.pem')];
  const keys = new Map(keyFiles.map((file) => [basename(file), readFileSync(file, 'utf8')]));
  return {
    root,
    keys,
    render: (overlay) => {
      const text = kubectl(['kustomize', '--load-restrictor', 'LoadRestrictionsNone', join(root, 'deploy', 'kubernetes', 'overlays', overlay)]);
      return parseAllDocuments(text).map((document) => withUnwrappedSecrets(document.toJS() as KubernetesObject));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
