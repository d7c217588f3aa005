// Self-test of the checker: the fixture in fixtures/good passes every check, and each rule,
// broken on purpose in a copy of it, fails with its own message.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkAll } from '../lib/check-all.mjs';
import { silentReport } from '../lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const good = path.join(here, 'fixtures', 'good');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-check-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let copies = 0;

/** Copies the good fixture, applies `breakIt(dir)`, and returns the checker's failures. */
async function failuresAfter(breakIt) {
  const dir = path.join(scratch, String(++copies));
  fs.cpSync(good, dir, { recursive: true });
  await breakIt(dir);
  const report = silentReport();
  await checkAll(dir, report);
  return report.failures;
}

/** Replaces text in a fixture file, and fails the test if the text is not there. */
function edit(dir, file, from, to) {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  assert.ok(text.includes(from), `fixture ${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

/** Asserts that exactly the expected failures occurred. */
async function expectFailures(breakIt, ...patterns) {
  const failures = await failuresAfter(breakIt);
  assert.equal(failures.length, patterns.length, `expected ${patterns.length} failure(s), got:\n${failures.join('\n')}`);
  patterns.forEach((pattern, index) => assert.match(failures[index], pattern));
}

const deployment = 'k8s/app/deployment.yaml';
const dockerfile = 'services/app/Dockerfile';

test('the good fixture passes every check', async () => {
  const report = silentReport();
  await checkAll(good, report);
  assert.deepEqual(report.failures, []);
  assert.ok(report.passed >= 20, `only ${report.passed} checks ran`);
});

describe('Kubernetes rules', () => {
  test('a container without a readiness probe fails', () =>
    expectFailures((d) => edit(d, deployment, '          readinessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n', ''), /container app: has no readinessProbe$/));

  test('a container without a liveness probe fails', () =>
    expectFailures((d) => edit(d, deployment, '          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n', ''), /container app: has no livenessProbe$/));

  test('a container without limits fails', () =>
    expectFailures((d) => edit(d, deployment, '            limits:\n              cpu: 500m\n              memory: 256Mi\n', ''), /resources lack limits\.cpu, limits\.memory/));

  test('a container without a memory request fails', () =>
    expectFailures((d) => edit(d, deployment, '              memory: 128Mi\n', ''), /resources lack requests\.memory/));

  test('a pod that may run as root fails', () =>
    expectFailures((d) => edit(d, deployment, '        runAsNonRoot: true\n', ''), /runAsNonRoot is not true/));

  test('a container that runs as uid 0 fails', () =>
    expectFailures((d) => edit(d, deployment, 'runAsUser: 1654', 'runAsUser: 0'), /runAsUser is 0 \(root\)/));

  test('a container that allows privilege escalation fails', () =>
    expectFailures((d) => edit(d, deployment, 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'), /restricted pod security standard: allowPrivilegeEscalation is not false/));

  test('an image with the latest tag fails', () =>
    expectFailures((d) => edit(d, deployment, 'image: example/app:1.0.0', 'image: example/app:latest'), /image "example\/app:latest" uses the "latest" tag/));

  test('an image without a tag fails', () =>
    expectFailures((d) => edit(d, deployment, 'image: example/app:1.0.0', 'image: registry.example.com:5000/app'), /image "registry\.example\.com:5000\/app" has no tag/));

  test('an image pinned by digest passes', () =>
    expectFailures((d) => edit(d, deployment, 'image: example/app:1.0.0', `image: example/app@sha256:${'a'.repeat(64)}`)));

  test('a value of the wrong type fails the schema', () =>
    expectFailures((d) => edit(d, deployment, 'replicas: 2', 'replicas: two'), /does not match the apps\/v1 Deployment schema: \/spec\/replicas must be integer/));

  test('a missing required field fails the schema', () =>
    expectFailures((d) => edit(d, 'k8s/app/service.yaml', '    - name: http\n      port: 80\n', '    - name: http\n'), /Service app does not match the v1 Service schema: \/spec\/ports\/0 must have required property port/));

  test('an unknown field fails', () =>
    expectFailures(
      (d) => edit(d, deployment, 'terminationGracePeriodSeconds: 30', 'terminationGracePeriodSecond: 30'),
      /deployment\.yaml:15: Deployment app: unknown field spec\.template\.spec\.terminationGracePeriodSecond \(IPodSpec has no "terminationGracePeriodSecond"\)/,
    ));

  test('an API version that does not exist fails', () =>
    expectFailures((d) => edit(d, deployment, 'apiVersion: apps/v1', 'apiVersion: apps/v2'), /apps\/v2 Deployment is not a Kubernetes API type/));

  test('an API version that Kubernetes removed fails', () =>
    expectFailures((d) => edit(d, deployment, 'apiVersion: apps/v1', 'apiVersion: apps/v1beta2'), /apps\/v1beta2 was removed in Kubernetes 1\.16; use apps\/v1/));

  test('a kind that does not exist fails', () =>
    expectFailures((d) => edit(d, 'k8s/app/service.yaml', 'kind: Service', 'kind: Servcie'), /v1 Servcie is not a Kubernetes API type/));

  test('a manifest that is not valid YAML fails', () =>
    expectFailures((d) => edit(d, 'k8s/app/service.yaml', '  name: app\n', '  name: [app\n'), /service\.yaml:\d+: not valid YAML/));
});

describe('kustomizations', () => {
  test('a file the kustomization does not list fails', () =>
    expectFailures(
      (d) => fs.writeFileSync(path.join(d, 'k8s/app/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n'),
      /k8s\/app\/extra\.yaml is not listed in k8s\/app\/kustomization\.yaml/,
    ));

  test('a listed file that does not exist fails', () =>
    expectFailures((d) => fs.rmSync(path.join(d, 'k8s/app/service.yaml')), /kustomization\.yaml: lists service\.yaml, which does not exist/));

  test('a folder without a kustomization fails', () =>
    expectFailures(
      (d) => {
        fs.mkdirSync(path.join(d, 'k8s/other'));
        fs.writeFileSync(path.join(d, 'k8s/other/configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n');
      },
      /k8s\/other\/ has no kustomization\.yaml/,
    ));

  test('a listed folder without a kustomization fails', () =>
    expectFailures(
      (d) => {
        fs.mkdirSync(path.join(d, 'k8s/empty'));
        edit(d, 'k8s/app/kustomization.yaml', '  - service.yaml\n', '  - service.yaml\n  - ../empty\n');
      },
      /lists the folder \.\.\/empty, which has no kustomization\.yaml/,
    ));
});

describe('Dockerfile rules', () => {
  test('a base image with the latest tag fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'sdk:10.0-noble', 'sdk:latest'), /Dockerfile:2: base image "mcr\.microsoft\.com\/dotnet\/sdk:latest" uses the "latest" tag/));

  test('a base image without a tag fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'aspnet:10.0-noble', 'aspnet'), /Dockerfile:9: base image "mcr\.microsoft\.com\/dotnet\/aspnet" has no tag/));

  test('a final stage without USER fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'USER $APP_UID\n', ''), /final stage \(line 9\) sets no USER/));

  test('USER root fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'USER $APP_UID', 'USER root'), /Dockerfile:12: USER root is root/));

  test('USER 0:0 fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'USER $APP_UID', 'USER 0:0'), /Dockerfile:12: USER 0:0 is root/));

  test('a USER from an unknown variable fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'USER $APP_UID', 'USER $SOMEONE'), /USER \$SOMEONE uses SOMEONE, which is not defined/));

  test('a final stage without HEALTHCHECK fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'HEALTHCHECK --interval=10s --timeout=3s \\\n  CMD curl --fail --silent "http://127.0.0.1:8080/healthz" || exit 1\n', ''), /has no HEALTHCHECK/));

  test('a shell-form ENTRYPOINT fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'ENTRYPOINT ["dotnet", "App.dll"]', 'ENTRYPOINT dotnet App.dll'), /ENTRYPOINT is in shell form/));

  test('a referenced project missing from the restore layer fails', () =>
    expectFailures(
      (d) => {
        fs.mkdirSync(path.join(d, 'libs/lib'), { recursive: true });
        fs.writeFileSync(path.join(d, 'libs/lib/Lib.csproj'), '<Project Sdk="Microsoft.NET.Sdk" />\n');
        edit(d, 'services/app/App.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web" />', '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n    <ProjectReference Include="../../libs/lib/Lib.csproj" />\n  </ItemGroup>\n</Project>');
      },
      /Dockerfile: the restore layer does not copy libs\/lib\/Lib\.csproj, which the service's build needs/,
    ));

  test('a final stage that copies from the build context fails', () =>
    expectFailures((d) => edit(d, dockerfile, 'COPY --from=build /app ./', 'COPY --from=build /app ./\nCOPY services/app/ ./'), /final stage copies "services\/app\/" from the build context/));

  test('a service folder without a Dockerfile fails', () =>
    expectFailures(
      (d) => fs.rmSync(path.join(d, dockerfile)),
      /services\/app\/Dockerfile is missing: every service needs an image/,
      /service app builds services\/app\/Dockerfile, which does not exist/,
    ));

  test('a .dockerignore that lets build output in fails', () =>
    expectFailures((d) => edit(d, '.dockerignore', '**/bin\n', ''), /\.dockerignore lets build output \(bin\/\) into the build context/));

  test('a .dockerignore that excludes what a Dockerfile copies fails', () =>
    expectFailures((d) => edit(d, '.dockerignore', 'k8s\n', 'k8s\n**/*.csproj\n'), /Dockerfile:4: copies services\/app\/App\.csproj, which \.dockerignore excludes/));
});

describe('compose rules', () => {
  test('an image with the latest tag fails', () =>
    expectFailures((d) => edit(d, 'docker-compose.yml', 'redis:7.2-alpine', 'redis:latest'), /service cache: image "redis:latest" uses the "latest" tag/));

  test('waiting for a service without a healthcheck fails', () =>
    expectFailures(
      (d) => edit(d, 'docker-compose.yml', '    healthcheck:\n      test: ["CMD", "redis-cli", "ping"]\n', ''),
      /service app waits for cache to be healthy, but cache has no healthcheck/,
    ));

  test('a build of a Dockerfile that does not exist fails', () =>
    expectFailures((d) => edit(d, 'docker-compose.yml', 'dockerfile: services/app/Dockerfile', 'dockerfile: services/api/Dockerfile'), /service app builds services\/api\/Dockerfile, which does not exist/));
});
