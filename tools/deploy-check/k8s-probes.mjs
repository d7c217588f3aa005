#!/usr/bin/env node
// What a kustomization runs, for tools/compose-smoke.sh to try against the compose stack's
// containers of the same images: every container of its workloads, with its image, pull
// policy, declared ports, probes and preStop hook, one JSON object a line.
//
//   node tools/deploy-check/k8s-probes.mjs [KUSTOMIZATION FOLDER]     (default: k8s/dev)
//
// The folder is read as `kubectl kustomize` would build it, as far as the manifests here use
// kustomize: `resources` (files and folders) and `namespace`. A kustomization with anything
// else (images, patches, generators) is refused rather than read differently from kubectl.
//
// Lines:
//   {"workload":"Deployment/gateway","container":"gateway","image":"…","pullPolicy":"IfNotPresent",
//    "ports":[{"name":"http","port":8080},{"name":"api","port":8081}],
//    "checks":[{"what":"readinessProbe","type":"http","port":8080,"path":"/readyz"},
//              {"what":"livenessProbe","type":"exec","command":["sh","-c","…"]},
//              {"what":"startupProbe","type":"tcp","port":5672},
//              {"what":"preStop","type":"exec","command":["sleep","5"]}]}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const UNDERSTOOD = new Set(['apiVersion', 'kind', 'resources', 'namespace']);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const folder = path.resolve(root, process.argv[2] ?? 'k8s/dev');

try {
  for (const object of build(folder)) {
    if (!WORKLOADS.has(object.kind)) continue;
    const spec = object.spec?.template?.spec ?? {};
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      console.log(JSON.stringify(describe(object, container)));
    }
  }
} catch (error) {
  console.error(`k8s-probes: ${error.message}`);
  process.exit(1);
}

/** The objects `kubectl kustomize DIR` would print, for the kustomize features used here. */
function build(dir) {
  const file = KUSTOMIZATION_FILES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`${path.relative(root, dir)} has no kustomization.yaml`);
  const kustomization = parse(file)[0] ?? {};
  const unknown = Object.keys(kustomization).filter((key) => !UNDERSTOOD.has(key));
  if (unknown.length > 0) {
    throw new Error(`${path.relative(root, file)} uses ${unknown.join(', ')}, which this reader does not apply; render it with kubectl kustomize instead`);
  }
  const objects = [];
  for (const entry of kustomization.resources ?? []) {
    const target = path.join(dir, entry);
    objects.push(...(fs.statSync(target).isDirectory() ? build(target) : parse(target)));
  }
  if (kustomization.namespace) {
    for (const object of objects) object.metadata = { ...object.metadata, namespace: kustomization.namespace };
  }
  return objects;
}

function parse(file) {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path.relative(root, file)}: ${document.errors[0].message}`);
      return document.toJS();
    })
    .filter((object) => object !== null && object !== undefined);
}

function describe(object, container) {
  const checks = [];
  for (const what of PROBES) {
    if (container[what]) checks.push({ what, ...handler(container[what], container) });
  }
  const preStop = container.lifecycle?.preStop;
  if (preStop) checks.push({ what: 'preStop', ...handler(preStop, container) });
  return {
    workload: `${object.kind}/${object.metadata?.name}`,
    container: container.name,
    image: container.image,
    pullPolicy: container.imagePullPolicy ?? (/:latest$|^[^:]+$/.test(container.image ?? '') ? 'Always' : 'IfNotPresent'),
    ports: (container.ports ?? []).filter((entry) => (entry.protocol ?? 'TCP') === 'TCP').map((entry) => ({ name: entry.name ?? null, port: entry.containerPort })),
    checks,
  };
}

function handler(spec, container) {
  if (spec.httpGet) return { type: 'http', port: port(spec.httpGet.port, container), path: spec.httpGet.path ?? '/', scheme: spec.httpGet.scheme ?? 'HTTP' };
  if (spec.tcpSocket) return { type: 'tcp', port: port(spec.tcpSocket.port, container) };
  if (spec.exec) return { type: 'exec', command: spec.exec.command ?? [] };
  if (spec.grpc) return { type: 'grpc', port: spec.grpc.port };
  if (spec.sleep) return { type: 'sleep', seconds: spec.sleep.seconds };
  return { type: 'unknown' };
}

/** A port number, or a named port resolved against the container's ports. */
function port(value, container) {
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(String(value))) return Number(value);
  const named = (container.ports ?? []).find((candidate) => candidate.name === value);
  if (!named) throw new Error(`container ${container.name} has no port named ${value}`);
  return named.containerPort;
}
