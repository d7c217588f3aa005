// The server API (docs/api.md) stays private: every gateway serves it on a port of its own,
// which backends reach and the public entry does not.
//   - docker-compose.yml: the gateways listen on the API port and take their keys from the
//     environment (no key in the file); the port is published on loopback only;
//   - the front proxy (deploy/nginx/default.conf) routes nothing to that port, and nothing under
//     /api/ to a gateway;
//   - k8s/: the gateway Deployment declares the port, its keys come from a Secret, a ClusterIP
//     Service of its own carries it, no Ingress reaches it, and NetworkPolicies admit only
//     labelled backends of the namespace to it (and let those backends out to it).

import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

export const API = {
  port: 8081,
  portName: 'api',
  publicPort: 8080,
  keyPrefix: 'Api__Keys__',
  keySecret: 'chatplatform-api-keys',
  clientLabel: 'chatplatform.io/api-client',
  clientLabelValue: 'true',
  gatewayDockerfile: 'services/gateway/Dockerfile',
  gatewayImage: /(^|\/)gateway(:|@|$)/,
  // Paths of the API that a public entry must not pass to a gateway.
  paths: ['/api/v1/users/alice/presence', '/api/v1/publish', '/api/v1/openapi.json'],
};

export function checkServerApi(root, report, { compose = 'docker-compose.yml', proxy = 'deploy/nginx/default.conf', k8s = 'k8s' } = {}) {
  report.section(`The server API's port ${API.port} stays private (${compose}, ${proxy}, ${k8s}/)`);
  checkComposeApi(root, compose, report);
  checkProxyApi(root, proxy, report);
  checkKubernetesApi(root, k8s, report);
}

// --- compose -----------------------------------------------------------------------------------

function checkComposeApi(root, file, report) {
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return report.fail(`${file} is missing`);
  let compose;
  try {
    compose = parseYaml(fs.readFileSync(full, 'utf8'), { merge: true });
  } catch (error) {
    return report.fail(`${file}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const services = compose?.services ?? {};
  const gateways = Object.entries(services).filter(([, service]) => isComposeGateway(service));
  if (gateways.length === 0) return report.fail(`${file}: no gateway service (built from ${API.gatewayDockerfile})`);

  let published = [];
  for (const [name, service] of gateways) {
    const environment = composeEnvironment(service.environment);
    const apiPort = environment.Api__Port;
    if (String(apiPort) !== String(API.port)) report.fail(`${file}: service ${name}: Api__Port is ${apiPort ?? 'not set'}, expected ${API.port}`);
    else report.pass(`${file}: service ${name}: Api__Port ${API.port}`);
    checkListenPorts(`${file}: service ${name}`, environment.ASPNETCORE_HTTP_PORTS, report);

    const keys = Object.entries(environment).filter(([key]) => key.startsWith(API.keyPrefix));
    if (keys.length === 0) report.fail(`${file}: service ${name}: no ${API.keyPrefix}<name>; every API request would be refused`);
    for (const [key, value] of keys) {
      // Only "${VARIABLE}" or "${VARIABLE:-}": a key written here, or as a default, is committed.
      if (/^\$\{[A-Za-z_][A-Za-z0-9_]*(:?-)?\}$/.test(String(value ?? ''))) report.pass(`${file}: service ${name}: ${key} comes from the environment (${value}), not from the file`);
      else report.fail(`${file}: service ${name}: ${key} is "${value}"; take it from the environment ("\${CHAT_API_KEY:-}"), never write a key or a default into the file`);
    }

    for (const entry of service.ports ?? []) {
      const port = composePort(entry);
      if (!port || !port.targets.includes(API.port)) continue;
      if (port.hostIp === '127.0.0.1') {
        published.push(name);
        report.pass(`${file}: service ${name} publishes the API port on ${port.hostIp}:${port.published ?? '(any)'} only`);
      } else {
        report.fail(`${file}: service ${name} publishes the API port ${API.port} on ${port.hostIp || 'every address'} ("${port.text}"); publish it on 127.0.0.1 only`);
      }
    }
  }
  if (published.length === 0) report.fail(`${file}: no gateway publishes the API port on 127.0.0.1; backends on this machine cannot reach it`);

  for (const [name, service] of Object.entries(services)) {
    if (isComposeGateway(service)) continue;
    for (const entry of service.ports ?? []) {
      const port = composePort(entry);
      if (port && port.targets.includes(API.port)) report.fail(`${file}: service ${name}, not a gateway, publishes port ${API.port} ("${port.text}")`);
    }
  }
}

function isComposeGateway(service) {
  const dockerfile = typeof service?.build === 'object' ? service.build.dockerfile : undefined;
  return dockerfile === API.gatewayDockerfile || API.gatewayImage.test(String(service?.image ?? ''));
}

function composeEnvironment(environment) {
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((line) => {
      const at = String(line).indexOf('=');
      return at < 0 ? [String(line), undefined] : [String(line).slice(0, at), String(line).slice(at + 1)];
    }));
  }
  return environment ?? {};
}

/** A compose port entry: its host address (empty: every one), published port and container ports. */
export function composePort(entry) {
  if (entry && typeof entry === 'object') {
    return { hostIp: entry.host_ip ?? '', published: entry.published, targets: [Number(entry.target)], text: JSON.stringify(entry) };
  }
  const text = String(entry);
  // [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], read from the right: the address may hold colons
  // (an interpolation with a default, [IPv6]).
  const parts = text.replace(/\/\w+$/, '').split(':');
  const target = parts.pop();
  const published = parts.length > 0 ? parts.pop() : undefined;
  const hostIp = parts.join(':');
  if (!/^\d+(-\d+)?$/.test(target)) return null;
  const [from, to = from] = target.split('-').map(Number);
  const targets = [];
  for (let port = from; port <= to; port++) targets.push(port);
  return { hostIp, published, targets, text };
}

function checkListenPorts(where, value, report) {
  if (value === undefined) return; // the image's default (its Dockerfile is checked as built)
  const ports = String(value).split(';').map((port) => port.trim());
  if (ports[0] !== String(API.publicPort)) report.fail(`${where}: ASPNETCORE_HTTP_PORTS "${value}" does not start with the public port ${API.publicPort}, which the image's HEALTHCHECK asks`);
  else if (!ports.includes(String(API.port))) report.fail(`${where}: ASPNETCORE_HTTP_PORTS "${value}" leaves out the API port ${API.port}`);
  else report.pass(`${where}: Kestrel listens on ${ports.join(' and ')} (ASPNETCORE_HTTP_PORTS), the public port first`);
}

// --- the front proxy ---------------------------------------------------------------------------

function checkProxyApi(root, file, report) {
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return report.fail(`${file} is missing`);
  const text = fs.readFileSync(full, 'utf8').replace(/#[^\n]*/g, '');
  const variables = {};
  for (const [, name, value] of text.matchAll(/\bset\s+\$(\w+)\s+([^;]+);/g)) variables[name] = value.trim();
  const upstreams = [...text.matchAll(/\bproxy_pass\s+([^;]+);/g)].map(([, target]) => target.trim().replace(/\$(\w+)/g, (all, name) => variables[name] ?? all));
  const toApi = upstreams.filter((target) => new RegExp(`:${API.port}(\\b|/|$)`).test(target));
  if (toApi.length > 0) report.fail(`${file}: proxies to the API port: ${toApi.join(', ')}`);
  else report.pass(`${file}: no proxy_pass reaches port ${API.port} (upstreams: ${[...new Set(upstreams)].join(', ') || 'none'})`);

  const locations = nginxLocations(text);
  for (const uri of API.paths) {
    const location = chooseLocation(locations, uri);
    const name = location && `location ${location.modifier ? `${location.modifier} ` : ''}${location.pattern}`;
    if (!location) report.fail(`${file}: no location matches ${uri}`);
    else if (/\b(proxy_pass|fastcgi_pass|uwsgi_pass|grpc_pass)\b/.test(location.body)) report.fail(`${file}: ${uri} goes to "${name}", which proxies it`);
    else report.pass(`${file}: ${uri} goes to "${name}", which proxies nothing`);
  }
}

/** The top-level locations of a server block: modifier, pattern and body. */
export function nginxLocations(text) {
  const locations = [];
  const start = /\blocation\s+(=|~\*|~|\^~)?\s*("[^"]*"|[^\s{]+)\s*\{/g;
  let match;
  while ((match = start.exec(text))) {
    let depth = 1;
    let at = start.lastIndex;
    while (at < text.length && depth > 0) {
      if (text[at] === '{') depth++;
      else if (text[at] === '}') depth--;
      at++;
    }
    locations.push({ modifier: match[1], pattern: match[2].replace(/^"|"$/g, ''), body: text.slice(start.lastIndex, at - 1) });
    start.lastIndex = at;
  }
  return locations;
}

/** The location nginx picks for a URI: exact, then ^~ prefixes, then regexes in order, then the longest prefix. */
export function chooseLocation(locations, uri) {
  const exact = locations.find((location) => location.modifier === '=' && location.pattern === uri);
  if (exact) return exact;
  const prefixes = locations
    .filter((location) => (location.modifier === undefined || location.modifier === '^~') && uri.startsWith(location.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length);
  if (prefixes[0]?.modifier === '^~') return prefixes[0];
  for (const location of locations) {
    if (location.modifier !== '~' && location.modifier !== '~*') continue;
    if (new RegExp(location.pattern, location.modifier === '~*' ? 'i' : '').test(uri)) return location;
  }
  return prefixes[0] ?? null;
}

// --- Kubernetes --------------------------------------------------------------------------------

function checkKubernetesApi(root, folder, report) {
  const objects = readManifests(root, folder);
  const deployments = objects.filter(({ object }) => object.kind === 'Deployment' && (object.spec?.template?.spec?.containers ?? []).some((c) => API.gatewayImage.test(String(c.image ?? ''))));
  if (deployments.length === 0) return report.fail(`${folder}/: no gateway Deployment`);

  for (const { object: deployment, file } of deployments) {
    const label = `${file}: Deployment ${deployment.metadata?.name}`;
    const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
    const container = deployment.spec.template.spec.containers.find((c) => API.gatewayImage.test(String(c.image ?? '')));
    const apiPort = (container.ports ?? []).find((port) => port.containerPort === API.port);
    if (!apiPort) report.fail(`${label}: container ${container.name} declares no containerPort ${API.port}`);
    else if (apiPort.name !== API.portName) report.fail(`${label}: containerPort ${API.port} is named ${apiPort.name ?? '(nothing)'}, expected ${API.portName}`);
    else report.pass(`${label}: container ${container.name} declares containerPort ${API.port} named ${API.portName}`);

    const env = Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry]));
    if (env.Api__Port && String(env.Api__Port.value) !== String(API.port)) report.fail(`${label}: Api__Port is ${env.Api__Port.value}, but the API's containerPort is ${API.port}`);
    if (env.ASPNETCORE_HTTP_PORTS) checkListenPorts(label, env.ASPNETCORE_HTTP_PORTS.value, report);

    const fromSecret = (container.envFrom ?? []).filter((source) => source.secretRef?.name === API.keySecret);
    const keyEnv = (container.env ?? []).filter((entry) => entry.name.startsWith(API.keyPrefix));
    for (const entry of keyEnv) {
      if (entry.valueFrom?.secretKeyRef?.name !== API.keySecret) report.fail(`${label}: ${entry.name} does not come from the Secret ${API.keySecret}; never write a key into a manifest`);
    }
    if (fromSecret.some((source) => source.prefix === API.keyPrefix)) report.pass(`${label}: API keys from the Secret ${API.keySecret}, each entry as ${API.keyPrefix}<entry>`);
    else if (fromSecret.length > 0) report.fail(`${label}: envFrom the Secret ${API.keySecret} without prefix ${API.keyPrefix}: its entries would not be API keys`);
    else if (keyEnv.some((entry) => entry.valueFrom?.secretKeyRef?.name === API.keySecret)) report.pass(`${label}: API keys from the Secret ${API.keySecret}`);
    else report.fail(`${label}: no API key from the Secret ${API.keySecret} (envFrom with prefix ${API.keyPrefix}, or env ${API.keyPrefix}<name>)`);

    checkApiServices(label, objects, podLabels, container, report);
    checkApiPolicies(objects, podLabels, report);
  }
}

function checkApiServices(label, objects, podLabels, container, report) {
  const services = objects.filter(({ object }) => object.kind === 'Service' && selects(object.spec?.selector, podLabels) && object.spec?.selector && Object.keys(object.spec.selector).length > 0);
  const reachesApi = (port) => {
    const target = port.targetPort ?? port.port;
    if (target === API.portName || Number(target) === API.port) return true;
    const named = (container.ports ?? []).find((candidate) => candidate.name === target);
    return named?.containerPort === API.port;
  };
  const apiServices = services.filter(({ object }) => (object.spec.ports ?? []).some(reachesApi));
  if (apiServices.length === 0) report.fail(`${label}: no Service carries the API port (targetPort ${API.portName})`);
  for (const { object, file } of apiServices) {
    const type = object.spec.type ?? 'ClusterIP';
    if (type !== 'ClusterIP') report.fail(`${file}: Service ${object.metadata.name} exposes the API port as ${type}; only ClusterIP keeps it inside the cluster`);
    else report.pass(`${file}: Service ${object.metadata.name} carries the API port, as ClusterIP`);
  }

  const ingresses = objects.filter(({ object }) => object.kind === 'Ingress');
  for (const { object: ingress, file } of ingresses) {
    const backends = [ingress.spec?.defaultBackend, ...(ingress.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => p.backend))].filter((backend) => backend?.service);
    const problems = [];
    for (const backend of backends) {
      const service = apiServices.find(({ object }) => object.metadata.name === backend.service.name && (object.metadata.namespace ?? ingress.metadata.namespace) === ingress.metadata.namespace);
      if (service) problems.push(`names the Service ${backend.service.name}, which carries the API port`);
    }
    if (problems.length > 0) report.fail(`${file}: Ingress ${ingress.metadata.name} ${[...new Set(problems)].join('; ')}; give the API a Service of its own that no Ingress names`);
    else report.pass(`${file}: Ingress ${ingress.metadata.name} names no Service that carries the API port (backends: ${[...new Set(backends.map((b) => `${b.service.name}:${b.service.port?.name ?? b.service.port?.number}`))].join(', ')})`);
  }
}

function checkApiPolicies(objects, podLabels, report) {
  const policies = objects.filter(({ object }) => object.kind === 'NetworkPolicy');
  let admitted = 0;
  for (const { object: policy, file } of policies) {
    if (!matchesSelector(policy.spec?.podSelector ?? {}, podLabels)) continue;
    const types = policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    if (!types.includes('Ingress')) continue;
    (policy.spec?.ingress ?? []).forEach((rule, index) => {
      if (!admitsPort(rule.ports, API.port, API.portName)) return;
      const where = `${file}: NetworkPolicy ${policy.metadata?.name}, ingress rule ${index + 1}`;
      const peers = rule.from ?? [];
      const open = peers.length === 0 ? ['every source'] : peers.filter((peer) => !isClientPeer(peer)).map(describePeer);
      if (open.length > 0) {
        report.fail(`${where} admits ${open.join(', ')} to the API port ${API.port}${rule.ports?.length ? '' : ' (it names no ports, so every port)'}; only pods of the namespace labelled ${API.clientLabel}: "${API.clientLabelValue}" may reach it`);
      } else {
        admitted++;
        report.pass(`${where} admits to port ${API.port} only pods of the namespace labelled ${API.clientLabel}: "${API.clientLabelValue}"`);
      }
    });
  }
  if (admitted === 0) report.fail(`no NetworkPolicy admits the backends (${API.clientLabel}: "${API.clientLabelValue}") to the gateways' port ${API.port}`);

  const clientLabels = { [API.clientLabel]: API.clientLabelValue };
  const egress = policies.some(({ object: policy }) =>
    matchesSelector(policy.spec?.podSelector ?? {}, clientLabels) &&
    (policy.spec?.policyTypes ?? []).includes('Egress') &&
    (policy.spec?.egress ?? []).some((rule) => admitsPort(rule.ports, API.port, API.portName) && (rule.to ?? []).some((peer) => !peer.namespaceSelector && !peer.ipBlock && peer.podSelector && matchesSelector(peer.podSelector, podLabels))));
  if (egress) report.pass(`NetworkPolicies let pods labelled ${API.clientLabel}: "${API.clientLabelValue}" out to the gateways' port ${API.port}`);
  else report.fail(`no NetworkPolicy lets pods labelled ${API.clientLabel}: "${API.clientLabelValue}" out to the gateways' port ${API.port}; the default deny blocks their calls`);
}

function isClientPeer(peer) {
  return !peer.namespaceSelector && !peer.ipBlock && peer.podSelector?.matchLabels?.[API.clientLabel] === API.clientLabelValue;
}

function describePeer(peer) {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  const parts = [];
  if (peer.namespaceSelector) parts.push(`namespaces ${JSON.stringify(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`pods ${JSON.stringify(peer.podSelector)}`);
  return parts.join(' and ') || 'every source';
}

/** Whether NetworkPolicy ports (none: every port) admit a pod's port, by number or name. */
function admitsPort(ports, number, name) {
  if (!ports || ports.length === 0) return true;
  return ports.some((port) => {
    if ((port.protocol ?? 'TCP') !== 'TCP') return false;
    if (port.port === undefined) return true;
    if (port.port === name) return true;
    const from = Number(port.port);
    return from === number || (port.endPort !== undefined && from <= number && number <= port.endPort);
  });
}

function selects(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

function matchesSelector(selector, labels) {
  if (!selects(selector.matchLabels, labels)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In': return key in labels && values.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
}

function readManifests(root, folder) {
  const objects = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name) && !/^kustomization\.ya?ml$/.test(entry.name)) {
        for (const document of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
          if (document.errors.length > 0) continue; // reported by the manifest checks
          const object = document.toJS();
          if (object && typeof object === 'object') objects.push({ object, file: path.relative(root, full).split(path.sep).join('/') });
        }
      }
    }
  };
  walk(path.join(root, folder));
  return objects;
}
