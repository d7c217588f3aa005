#!/usr/bin/env node
// Checks the deployment files of the repository without Docker or a cluster:
//   node tools/deploy-check/check.mjs [repository root]
// Prints every check and exits 1 when any fails. The generic rules (lib/check-all.mjs), then
// this platform's own: the server API's port stays private (lib/server-api.mjs).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAll } from './lib/check-all.mjs';
import { Report } from './lib/report.mjs';
import { checkServerApi } from './lib/server-api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '..', '..'));

const report = new Report();
await checkAll(root, report);
checkServerApi(root, report);
console.log('');
if (report.failures.length > 0) {
  console.log(`deploy-check: ${report.failures.length} of ${report.total} checks FAILED:`);
  for (const failure of report.failures) console.log(`  - ${failure}`);
  process.exit(1);
}
console.log(`deploy-check: all ${report.total} checks of ${root} succeeded`);
