// The Dockerfile reader the checks rely on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerignore, parseDockerfile, parseEnv, parseHealthcheck, parseImageReference, stages, substitute, unpinnedReason } from '../lib/dockerfile.mjs';

test('instructions keep their line, and continuations and comments inside them are joined', () => {
  const instructions = parseDockerfile('# comment\nFROM a:1 AS build\nRUN one \\\n  # inside\n  two\n\nCMD ["x", "y"]\n');
  assert.deepEqual(
    instructions.map(({ line, keyword }) => [line, keyword]),
    [[2, 'FROM'], [3, 'RUN'], [7, 'CMD']],
  );
  assert.match(instructions[1].args, /^one\s+two$/);
  assert.deepEqual(instructions[2].json, ['x', 'y']);
  assert.deepEqual(stages(instructions).map((stage) => stage.name), ['build']);
});

test('image references: tags, digests and registry ports', () => {
  assert.deepEqual(parseImageReference('mcr.microsoft.com/dotnet/sdk:10.0'), { name: 'mcr.microsoft.com/dotnet/sdk', tag: '10.0', digest: null });
  assert.deepEqual(parseImageReference('localhost:5000/app'), { name: 'localhost:5000/app', tag: null, digest: null });
  assert.equal(unpinnedReason('localhost:5000/app:1.2'), null);
  assert.equal(unpinnedReason(`redis@sha256:${'0'.repeat(64)}`), null);
  assert.match(unpinnedReason('redis'), /has no tag/);
  assert.match(unpinnedReason('redis:LATEST'), /"latest"/);
});

test('variables: $X, ${X} and ${X:-default}; unknown names are reported', () => {
  const unknown = [];
  assert.equal(substitute('$A/${B}/${C:-c}/${D}', { A: 'a', B: 'b' }, unknown), 'a/b/c/${D}');
  assert.deepEqual(unknown, ['D']);
  assert.deepEqual(parseEnv('A=1 B="two words" C=x\\ y'), { A: '1', B: 'two words', C: 'x y' });
  assert.deepEqual(parseEnv('LEGACY value with spaces'), { LEGACY: 'value with spaces' });
});

test('HEALTHCHECK options and command forms', () => {
  assert.deepEqual(parseHealthcheck('--interval=10s --timeout=3s CMD curl -f http://x || exit 1'), {
    none: false,
    options: { interval: '10s', timeout: '3s' },
    command: 'curl -f http://x || exit 1',
    shell: true,
  });
  assert.deepEqual(parseHealthcheck('CMD ["curl", "-f"]').command, ['curl', '-f']);
  assert.equal(parseHealthcheck('NONE').none, true);
});

test('.dockerignore matches like Docker: anchored patterns, **, parents and exceptions', () => {
  const rules = dockerignore('**/bin\n*.md\n!README.md\ndocs/\n');
  assert.equal(rules.ignores('services/gateway/bin/Release/a.dll'), true);
  assert.equal(rules.ignores('bin/x'), true);
  assert.equal(rules.ignores('CHANGES.md'), true);
  assert.equal(rules.ignores('services/gateway/CHANGES.md'), false, '*.md only matches at the root');
  assert.equal(rules.ignores('README.md'), false);
  assert.equal(rules.ignores('docs/deploy.md'), true);
  assert.equal(rules.ignores('services/gateway/Program.cs'), false);
});
