// The publish test fails when a Dockerfile's build stage cannot run: each case writes a small
// build context, runs publish.mjs on it, and expects a failure naming the problem.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'publish.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let contexts = 0;

function publish(dockerfile, { files = {}, dockerignore = '' } = {}) {
  const root = path.join(scratch, String(++contexts));
  fs.mkdirSync(path.join(root, 'services', 'app'), { recursive: true });
  fs.writeFileSync(path.join(root, 'services', 'app', 'App.csproj'), '<Project Sdk="Microsoft.NET.Sdk" />\n');
  fs.writeFileSync(path.join(root, 'services', 'app', 'Dockerfile'), dockerfile);
  fs.writeFileSync(path.join(root, '.dockerignore'), dockerignore);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
  const result = spawnSync(process.execPath, [tool, `--root=${root}`, 'app'], { encoding: 'utf8', timeout: 120000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('a COPY of a file that is not in the build context fails', () => {
  const { status, output } = publish('FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY missing.props ./\n');
  assert.equal(status, 1, output);
  assert.match(output, /Dockerfile:3: COPY missing\.props \.\/: missing\.props does not exist in the build context/);
});

test('a COPY of a file that .dockerignore excludes fails', () => {
  const { status, output } = publish('FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY build.props ./\n', {
    files: { 'build.props': '<Project />\n' },
    dockerignore: '*.props\n',
  });
  assert.equal(status, 1, output);
  assert.match(output, /build\.props is excluded by \.dockerignore/);
});

test('a dotnet step that fails fails, with its output', () => {
  const { status, output } = publish('FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY services/app/ services/app/\nRUN dotnet build services/app/Nothing.csproj\n');
  assert.equal(status, 1, output);
  assert.match(output, /Dockerfile:4: RUN dotnet build services\/app\/Nothing\.csproj failed \(exit \d+/);
  assert.match(output, /Nothing\.csproj/);
});

test('a dotnet step runs in the stage\'s WORKDIR, COPY --from finds its files, and an ENTRYPOINT without its assembly fails', () => {
  const { status, output } = publish(
    [
      'FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build',
      'WORKDIR /src',
      'COPY services/app/App.csproj ./',
      'RUN dotnet msbuild App.csproj -getProperty:MSBuildProjectName',
      'FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final',
      'WORKDIR /app',
      'COPY --from=build /src/App.csproj ./',
      'ENTRYPOINT ["dotnet", "App.dll"]',
      '',
    ].join('\n'),
  );
  assert.equal(status, 1, output);
  assert.match(output, /ok +services\/app\/Dockerfile:4: RUN dotnet msbuild App\.csproj/);
  assert.match(output, /the ENTRYPOINT runs App\.dll, which is not in the final stage's \/app/);
});
