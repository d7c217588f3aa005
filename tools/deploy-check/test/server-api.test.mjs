// Self-test of the server API's rules (lib/server-api.mjs), on a copy of the repository's own
// compose file, proxy configuration and manifests: they pass, and each rule, broken on purpose,
// fails with its own message.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkServerApi, chooseLocation, composePort, nginxLocations } from '../lib/server-api.mjs';
import { silentReport } from '../lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, '..', '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-check-api-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const compose = 'docker-compose.yml';
const proxy = 'deploy/nginx/default.conf';
const deployment = 'k8s/platform/gateway-deployment.yaml';
const apiService = 'k8s/platform/api-service.yaml';
const ingress = 'k8s/platform/ingress.yaml';
const policies = 'k8s/platform/networkpolicies.yaml';

let copies = 0;

async function failuresAfter(breakIt) {
  const dir = path.join(scratch, String(++copies));
  for (const part of [compose, proxy, 'k8s']) fs.cpSync(path.join(repository, part), path.join(dir, part), { recursive: true });
  await breakIt(dir);
  const report = silentReport();
  checkServerApi(dir, report);
  return report.failures;
}

function edit(dir, file, from, to) {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

async function expectFailures(breakIt, ...patterns) {
  const failures = await failuresAfter(breakIt);
  assert.equal(failures.length, patterns.length, `expected ${patterns.length} failure(s), got:\n${failures.join('\n')}`);
  patterns.forEach((pattern, index) => assert.match(failures[index], pattern));
}

test("the repository's files pass", () => expectFailures(() => {}));

describe('compose', () => {
  test('a key written into the file fails', () =>
    expectFailures((d) => edit(d, compose, 'Api__Keys__dev: "${CHAT_API_KEY:-}"', `Api__Keys__dev: "${'k'.repeat(40)}"`), /gateway-1: Api__Keys__dev is "k+"; take it from the environment/, /gateway-2: Api__Keys__dev is/));

  test('a key as a default of the variable fails', () =>
    expectFailures((d) => edit(d, compose, '${CHAT_API_KEY:-}', `\${CHAT_API_KEY:-${'k'.repeat(40)}}`), /gateway-1: Api__Keys__dev is "\$\{CHAT_API_KEY:-k+\}"/, /gateway-2: Api__Keys__dev/));

  test('the API port published on every address fails', () =>
    expectFailures(
      (d) => edit(d, compose, '"127.0.0.1:8081:8081"', '"8081:8081"'),
      /service gateway-1 publishes the API port 8081 on every address \("8081:8081"\); publish it on 127\.0\.0\.1 only/,
      /no gateway publishes the API port on 127\.0\.0\.1/,
    ));

  test('the API port published on the proxy\'s address fails', () =>
    expectFailures((d) => edit(d, compose, '"127.0.0.1:8081:8081"', '"${CHAT_PUBLISH_ADDRESS:-127.0.0.1}:8081:8081"'), /publishes the API port 8081 on \$\{CHAT_PUBLISH_ADDRESS:-127\.0\.0\.1\}/, /no gateway publishes/));

  test('port 8081 published by the proxy fails', () =>
    expectFailures((d) => edit(d, compose, '      - "${CHAT_PUBLISH_ADDRESS:-127.0.0.1}:8080:8080"\n', '      - "${CHAT_PUBLISH_ADDRESS:-127.0.0.1}:8080:8080"\n      - "127.0.0.1:9081:8081"\n'), /service proxy, not a gateway, publishes port 8081/));

  test('listening on the API port first fails', () =>
    expectFailures((d) => edit(d, compose, 'ASPNETCORE_HTTP_PORTS: "8080;8081"', 'ASPNETCORE_HTTP_PORTS: "8081;8080"'), /gateway-1: ASPNETCORE_HTTP_PORTS "8081;8080" does not start with the public port 8080/, /gateway-2: ASPNETCORE_HTTP_PORTS/));

  test('no Api__Port fails', () =>
    expectFailures((d) => edit(d, compose, '  Api__Port: "8081"\n', ''), /gateway-1: Api__Port is not set, expected 8081/, /gateway-2: Api__Port is not set/));
});

describe('the front proxy', () => {
  test('a location that proxies /api/ fails', () =>
    expectFailures((d) => edit(d, proxy, '    location / {\n', '    location /api/ {\n        proxy_pass http://$gateways;\n    }\n\n    location / {\n'), /\/api\/v1\/users\/alice\/presence goes to "location \/api\/", which proxies it/, /\/api\/v1\/publish goes to/, /\/api\/v1\/openapi\.json goes to/));

  test('an upstream on the API port fails', () =>
    expectFailures((d) => edit(d, proxy, 'set $gateways gateways:8080;', 'set $gateways gateways:8081;'), /proxies to the API port: http:\/\/gateways:8081/));

  test('locations are chosen as nginx does', () => {
    const locations = nginxLocations('location = /ws { a; } location ~ ^/(assets/) { proxy_pass x; } location ^~ /api/ { return 404; } location / { return 404; }');
    assert.equal(chooseLocation(locations, '/ws').pattern, '/ws');
    assert.equal(chooseLocation(locations, '/assets/app.js').modifier, '~');
    assert.equal(chooseLocation(locations, '/api/v1/publish').pattern, '/api/');
    assert.equal(chooseLocation(locations, '/other').pattern, '/');
  });

  test('compose port entries are read from the right', () => {
    assert.deepEqual(composePort('127.0.0.1:8081:8081'), { hostIp: '127.0.0.1', published: '8081', targets: [8081], text: '127.0.0.1:8081:8081' });
    assert.equal(composePort('8081:8081').hostIp, '');
    assert.equal(composePort('[::1]:9000:8081/tcp').hostIp, '[::1]');
    assert.deepEqual(composePort('8080-8082:8080-8082').targets, [8080, 8081, 8082]);
  });
});

describe('Kubernetes', () => {
  test('no containerPort 8081 fails', () =>
    expectFailures((d) => edit(d, deployment, '            - name: api\n              containerPort: 8081\n              protocol: TCP\n', ''), /Deployment gateway: container gateway declares no containerPort 8081/));

  test('keys not from the Secret fail', () =>
    expectFailures(
      (d) => edit(d, deployment, '            - secretRef:\n                name: chatplatform-api-keys\n                optional: true\n              prefix: Api__Keys__\n', ''),
      /no API key from the Secret chatplatform-api-keys/,
    ));

  test('the Secret without the prefix fails', () =>
    expectFailures((d) => edit(d, deployment, '              prefix: Api__Keys__\n', ''), /envFrom the Secret chatplatform-api-keys without prefix Api__Keys__/));

  test('a key written into the manifest fails', () =>
    expectFailures((d) => edit(d, deployment, '            - name: Api__Port\n', `            - name: Api__Keys__ops\n              value: "${'k'.repeat(40)}"\n            - name: Api__Port\n`), /Api__Keys__ops does not come from the Secret chatplatform-api-keys/));

  test('the API Service as a NodePort fails', () =>
    expectFailures((d) => edit(d, apiService, 'type: ClusterIP', 'type: NodePort'), /Service chatplatform-api exposes the API port as NodePort/));

  test('the API port on the public Service fails', () =>
    expectFailures(
      (d) => edit(d, 'k8s/platform/gateway-service.yaml', '      targetPort: http\n      protocol: TCP\n', '      targetPort: http\n      protocol: TCP\n    - name: api\n      port: 8081\n      targetPort: api\n'),
      /Ingress gateway names the Service gateway, which carries the API port/,
    ));

  test('an Ingress that routes to the API Service fails', () =>
    expectFailures((d) => edit(d, ingress, '          - path: /auth-mode\n            pathType: Exact\n            backend:\n              service:\n                name: gateway\n                port:\n                  name: http\n', '          - path: /api\n            pathType: Prefix\n            backend:\n              service:\n                name: chatplatform-api\n                port:\n                  name: api\n'), /Ingress gateway names the Service chatplatform-api, which carries the API port/));

  test('the API admitted from other namespaces fails', () =>
    expectFailures(
      (d) => edit(d, policies, '        - podSelector:\n            matchLabels:\n              chatplatform.io/api-client: "true"\n', '        - namespaceSelector: {}\n          podSelector:\n            matchLabels:\n              chatplatform.io/api-client: "true"\n'),
      /NetworkPolicy gateway-api, ingress rule 1 admits namespaces \{\} and pods .* to the API port 8081/,
      /no NetworkPolicy admits the backends/,
    ));

  test('the ingress controller admitted to every port fails', () =>
    expectFailures(
      (d) => edit(d, policies, '              kubernetes.io/metadata.name: ingress-nginx\n      ports:\n        - protocol: TCP\n          port: 8080\n', '              kubernetes.io/metadata.name: ingress-nginx\n'),
      /NetworkPolicy gateway, ingress rule 1 admits namespaces .*ingress-nginx.* to the API port 8081 \(it names no ports, so every port\)/,
    ));

  test('no egress for the backends fails', () =>
    expectFailures((d) => edit(d, policies, '      chatplatform.io/api-client: "true"\n  policyTypes:\n    - Egress\n', '      chatplatform.io/api-client: "other"\n  policyTypes:\n    - Egress\n'), /no NetworkPolicy lets pods labelled chatplatform\.io\/api-client: "true" out to the gateways' port 8081/));
});
