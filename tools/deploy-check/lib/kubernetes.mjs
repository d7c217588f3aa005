// Kubernetes manifests: every folder is a kustomization that lists exactly its files, every
// document matches the Kubernetes API schema of its apiVersion and kind (kubernetes-models),
// and every container follows the platform's rules.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { isMap, isScalar, parseAllDocuments, parse as parseYaml } from 'yaml';
import { unpinnedReason } from './dockerfile.mjs';
import { unknownFields } from './fields.mjs';

const require = createRequire(import.meta.url);
const MODELS_VERSION = require('kubernetes-models/package.json').version;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * API versions that kubernetes-models still describes but Kubernetes no longer serves: the
 * release that removed them, and what replaces them.
 */
const REMOVED_API_VERSIONS = {
  'extensions/v1beta1': ['1.22', 'apps/v1 (workloads) or networking.k8s.io/v1 (Ingress, NetworkPolicy)'],
  'apps/v1beta1': ['1.16', 'apps/v1'],
  'apps/v1beta2': ['1.16', 'apps/v1'],
  'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'],
  'rbac.authorization.k8s.io/v1beta1': ['1.22', 'rbac.authorization.k8s.io/v1'],
  'apiextensions.k8s.io/v1beta1': ['1.22', 'apiextensions.k8s.io/v1'],
  'policy/v1beta1': ['1.25', 'policy/v1'],
  'batch/v1beta1': ['1.25', 'batch/v1'],
  'autoscaling/v2beta1': ['1.25', 'autoscaling/v2'],
  'autoscaling/v2beta2': ['1.26', 'autoscaling/v2'],
  'discovery.k8s.io/v1beta1': ['1.25', 'discovery.k8s.io/v1'],
  'events.k8s.io/v1beta1': ['1.25', 'events.k8s.io/v1'],
  'node.k8s.io/v1beta1': ['1.25', 'node.k8s.io/v1'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['1.26', 'flowcontrol.apiserver.k8s.io/v1'],
  'flowcontrol.apiserver.k8s.io/v1beta2': ['1.29', 'flowcontrol.apiserver.k8s.io/v1'],
  'flowcontrol.apiserver.k8s.io/v1beta3': ['1.32', 'flowcontrol.apiserver.k8s.io/v1'],
};

export async function checkKubernetes(root, report, { folder = 'k8s' } = {}) {
  report.section(`Kubernetes manifests (${folder}/), schemas from kubernetes-models ${MODELS_VERSION}`);
  const base = path.join(root, folder);
  const folders = manifestFolders(base).map((dir) => path.relative(root, dir).split(path.sep).join('/'));
  if (folders.length === 0) {
    report.fail(`no manifests under ${folder}/`);
    return;
  }
  const manifests = [];
  for (const dir of folders) {
    manifests.push(...checkKustomization(root, dir, report));
  }
  const typed = [];
  for (const file of manifests) {
    typed.push(...(await checkManifestFile(root, file, report)));
  }
  checkUnknownFields(typed, report);
}

/** Reports every field that the API server would reject as unknown. */
function checkUnknownFields(entries, report) {
  report.section('Kubernetes manifests: unknown fields (the API server rejects them)');
  if (entries.length === 0) return;
  let results;
  try {
    results = unknownFields(entries.map((entry) => entry.object));
  } catch (error) {
    report.fail(`unknown fields could not be checked: ${error.message}`);
    return;
  }
  entries.forEach((entry, index) => {
    const found = results[index];
    if (found.length === 0) {
      report.pass(`${entry.label}: no unknown fields`);
      return;
    }
    for (const { path: fieldPath, field, type } of found) {
      const line = keyLine(entry, fieldPath, field);
      const where = [...fieldPath, field].map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
      report.fail(`${entry.file}:${line}: ${entry.object.kind} ${entry.object.metadata?.name ?? ''}: unknown field ${where.slice(1)} (${type} has no "${field}")`);
    }
  });
}

function keyLine(entry, parentPath, field) {
  const parent = parentPath.length ? entry.document.getIn(parentPath, true) : entry.document.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === field);
    if (pair?.key?.range) return lineOf(entry.text, pair.key.range[0], false);
  }
  return entry.line;
}

/** Every folder (the base included) that holds YAML files. */
function manifestFolders(dir) {
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const own = entries.some((entry) => entry.isFile() && isYaml(entry.name)) ? [dir] : [];
  const nested = entries
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => manifestFolders(path.join(dir, entry.name)));
  return [...own, ...nested];
}

function isYaml(name) {
  return /\.ya?ml$/.test(name) || name === 'Kustomization';
}

/** Checks a folder's kustomization; returns the manifest files to validate. */
function checkKustomization(root, dir, report) {
  const full = path.join(root, dir);
  const files = fs.readdirSync(full).filter((name) => isYaml(name) && fs.statSync(path.join(full, name)).isFile()).sort();
  const kustomizationFile = KUSTOMIZATION_FILES.find((name) => files.includes(name));
  const manifests = files.filter((name) => !KUSTOMIZATION_FILES.includes(name));
  if (!kustomizationFile) {
    report.fail(`${dir}/ has no kustomization.yaml, so "kubectl apply -k ${dir}" cannot apply it`);
    return manifests.map((name) => `${dir}/${name}`);
  }

  const where = `${dir}/${kustomizationFile}`;
  let kustomization;
  try {
    kustomization = parseYaml(fs.readFileSync(path.join(full, kustomizationFile), 'utf8')) ?? {};
  } catch (error) {
    report.fail(`${where}: not valid YAML: ${error.message.split('\n')[0]}`);
    return manifests.map((name) => `${dir}/${name}`);
  }
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization') {
    report.fail(`${where}: kind is ${kustomization.kind}, expected Kustomization`);
  }
  if (kustomization.apiVersion !== undefined && !/^kustomize\.config\.k8s\.io\/v1(beta1)?$/.test(kustomization.apiVersion)) {
    report.fail(`${where}: apiVersion ${kustomization.apiVersion} is not kustomize.config.k8s.io/v1beta1`);
  }

  const listed = new Set();
  const patches = new Set();
  const resources = kustomization.resources ?? [];
  let ok = true;
  if (!Array.isArray(resources) || resources.some((entry) => typeof entry !== 'string')) {
    report.fail(`${where}: "resources" must be a list of paths`);
    return manifests.map((name) => `${dir}/${name}`);
  }
  const entries = [
    ...resources.map((entry) => ({ entry, kind: 'resource' })),
    ...(kustomization.patchesStrategicMerge ?? []).map((entry) => ({ entry, kind: 'patch' })),
    ...(kustomization.patches ?? []).filter((patch) => patch && patch.path).map((patch) => ({ entry: patch.path, kind: 'patch' })),
  ];
  for (const { entry, kind } of entries) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('?ref=')) {
      report.fail(`${where}: lists the remote ${kind} ${entry}; only local files can be checked and applied offline`);
      ok = false;
      continue;
    }
    const target = path.join(full, entry);
    if (!fs.existsSync(target)) {
      report.fail(`${where}: lists ${entry}, which does not exist`);
      ok = false;
    } else if (fs.statSync(target).isDirectory()) {
      if (!KUSTOMIZATION_FILES.some((name) => fs.existsSync(path.join(target, name)))) {
        report.fail(`${where}: lists the folder ${entry}, which has no kustomization.yaml`);
        ok = false;
      }
    } else if (path.dirname(target) === full) {
      (kind === 'patch' ? patches : listed).add(path.basename(target));
    }
  }
  for (const name of manifests) {
    if (!listed.has(name) && !patches.has(name)) {
      report.fail(`${dir}/${name} is not listed in ${where}: "kubectl apply -k ${dir}" would leave it out`);
      ok = false;
    }
  }
  if (ok) report.pass(`${where} lists every file of ${dir}/ (${entries.length} entries), and every entry exists`);
  // Patches are partial objects: they are not validated as whole resources.
  return manifests.filter((name) => !patches.has(name)).map((name) => `${dir}/${name}`);
}

/** Checks every document of a file; returns those with a known type, for checkUnknownFields. */
async function checkManifestFile(root, file, report) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const documents = parseAllDocuments(text);
  const typed = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const line = lineOf(text, document.range?.[0] ?? 0);
    if (document.errors.length > 0) {
      report.fail(`${file}:${line}: not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    const label = `${file}:${line}: ${object.kind ?? '?'} ${object.metadata?.name ?? '(no name)'}`;
    if (await checkObject(`${file}:${line}`, object, report)) typed.push({ file, line, label, object, document, text });
  }
  return typed;
}

function lineOf(text, offset, skipToContent = true) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  if (!skipToContent) return line;
  // Documents start after comments and "---": name the first line with content.
  const lines = text.split('\n');
  while (line <= lines.length && /^\s*(#.*)?$|^---/.test(lines[line - 1])) line++;
  return Math.min(line, lines.length);
}

/**
 * Validates one object against its schema and the container rules. Returns true when its
 * apiVersion and kind are a known Kubernetes type.
 */
export async function checkObject(where, object, report) {
  if (typeof object !== 'object' || Array.isArray(object)) {
    report.fail(`${where}: a manifest must be a mapping with apiVersion and kind`);
    return false;
  }
  const { apiVersion, kind } = object;
  const name = object.metadata?.name ?? '(no name)';
  const label = `${where}: ${kind ?? '?'} ${name}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    report.fail(`${where}: a manifest needs apiVersion and kind`);
    return false;
  }

  const removed = REMOVED_API_VERSIONS[apiVersion];
  const Model = removed ? null : await modelFor(apiVersion, kind);
  if (removed) {
    report.fail(`${label}: ${apiVersion} was removed in Kubernetes ${removed[0]}; use ${removed[1]}`);
  } else if (!Model) {
    report.fail(`${label}: ${apiVersion} ${kind} is not a Kubernetes API type (kubernetes-models ${MODELS_VERSION}); a typo, a removed API version, or a custom resource`);
  } else {
    try {
      new Model(object).validate();
      report.pass(`${label} matches the ${apiVersion} ${kind} schema`);
    } catch (error) {
      const errors = (error.errors ?? [{ instancePath: '', message: error.message }]).slice(0, 5);
      const details = errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`);
      report.fail(`${label} does not match the ${apiVersion} ${kind} schema: ${details.join('; ')}`);
    }
  }

  const pod = podSpecOf(object);
  if (pod) checkPod(label, pod, report);
  return Model !== null;
}

const modelCache = new Map();

async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    let Model = null;
    const parts = apiVersion.split('/');
    if (parts.length <= 2 && parts.every((part) => /^[a-z0-9.-]+$/.test(part))) {
      try {
        const module = await import(`kubernetes-models/${apiVersion}`);
        const candidate = module[kind];
        if (candidate && candidate.kind === kind && candidate.apiVersion === apiVersion) Model = candidate;
      } catch {
        // not a known group/version
      }
    }
    modelCache.set(key, Model);
  }
  return modelCache.get(key);
}

/** The pod template of a workload, or null for other kinds. */
export function podSpecOf(object) {
  switch (object.kind) {
    case 'Pod':
      return object.spec ?? {};
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return object.spec?.template?.spec ?? {};
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec ?? {};
    default:
      return null;
  }
}

function checkPod(label, pod, report) {
  const podSecurity = pod.securityContext ?? {};
  const containers = [
    ...(pod.initContainers ?? []).map((container) => ({ container, init: true })),
    ...(pod.containers ?? []).map((container) => ({ container, init: false })),
  ];
  if (containers.length === 0) {
    report.fail(`${label}: the pod template has no containers`);
    return;
  }

  const hostAccess = ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => pod[field] === true);
  const hostPaths = (pod.volumes ?? []).filter((volume) => volume.hostPath).map((volume) => volume.name);
  if (hostAccess.length || hostPaths.length) {
    report.fail(`${label}: the pod uses ${[...hostAccess, ...hostPaths.map((v) => `the hostPath volume ${v}`)].join(', ')}; not allowed by the restricted pod security standard`);
  }

  for (const { container, init } of containers) {
    const who = `${label}, ${init ? 'init container' : 'container'} ${container.name ?? '(no name)'}`;
    const security = container.securityContext ?? {};

    // Probes (init containers run to completion and take none, unless they are sidecars).
    if (!init || container.restartPolicy === 'Always') {
      const missing = ['readinessProbe', 'livenessProbe'].filter((probe) => !container[probe]);
      if (missing.length) report.fail(`${who}: has no ${missing.join(' and no ')}`);
      else report.pass(`${who}: has a readiness and a liveness probe`);
    }

    // Resources.
    const missingResources = [];
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) missingResources.push(`${kind}.${resource}`);
      }
    }
    if (missingResources.length) report.fail(`${who}: resources lack ${missingResources.join(', ')}`);
    else report.pass(`${who}: has cpu and memory requests and limits`);

    // Non-root.
    const runAsNonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
    const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
    if (runAsNonRoot !== true) report.fail(`${who}: runAsNonRoot is not true (set it in the pod's or the container's securityContext)`);
    else if (runAsUser === 0) report.fail(`${who}: runAsUser is 0 (root)`);
    else report.pass(`${who}: runs as non-root${runAsUser !== undefined ? ` (uid ${runAsUser})` : ''}`);

    // The rest of the restricted pod security standard.
    const problems = [];
    if (security.privileged === true) problems.push('privileged is true');
    if (security.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
    const drop = security.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push('capabilities.drop lacks ALL');
    const added = (security.capabilities?.add ?? []).filter((capability) => capability !== 'NET_BIND_SERVICE');
    if (added.length) problems.push(`capabilities.add has ${added.join(', ')}`);
    const seccomp = (security.seccompProfile ?? podSecurity.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push('no RuntimeDefault seccompProfile');
    if (problems.length) report.fail(`${who}: securityContext breaks the restricted pod security standard: ${problems.join(', ')}`);
    else report.pass(`${who}: securityContext meets the restricted pod security standard`);

    // Image tag.
    if (typeof container.image !== 'string' || container.image === '') {
      report.fail(`${who}: has no image`);
    } else {
      const reason = unpinnedReason(container.image);
      if (reason) report.fail(`${who}: image ${reason}; use a concrete tag`);
      else report.pass(`${who}: image ${container.image} has a concrete tag`);
    }
  }
}
