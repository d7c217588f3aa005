// docker-compose.yml: pinned images, Dockerfiles that exist, and health-ordered dependencies
// on services that have a healthcheck. (Its syntax is checked by `docker-compose config -q`.)

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { unpinnedReason } from './dockerfile.mjs';

export function checkCompose(root, report, { file = 'docker-compose.yml' } = {}) {
  report.section(`Compose file (${file})`);
  const full = path.join(root, file);
  if (!fs.existsSync(full)) {
    report.fail(`${file} is missing`);
    return;
  }
  let compose;
  try {
    compose = parseYaml(fs.readFileSync(full, 'utf8'), { merge: true });
  } catch (error) {
    report.fail(`${file}: not valid YAML: ${error.message.split('\n')[0]}`);
    return;
  }
  const services = compose?.services ?? {};
  if (Object.keys(services).length === 0) {
    report.fail(`${file}: no services`);
    return;
  }

  for (const [name, service] of Object.entries(services)) {
    if (service.image) {
      const reason = unpinnedReason(String(service.image));
      if (reason) report.fail(`${file}: service ${name}: image ${reason}; use a concrete tag`);
      else report.pass(`${file}: service ${name}: image ${service.image} has a concrete tag`);
    } else if (!service.build) {
      report.fail(`${file}: service ${name} has neither an image nor a build`);
    }

    if (service.build) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const dockerfile = path.join(root, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
      if (fs.existsSync(dockerfile)) report.pass(`${file}: service ${name} builds ${path.relative(root, dockerfile)}`);
      else report.fail(`${file}: service ${name} builds ${path.relative(root, dockerfile)}, which does not exist`);
    }

    const dependencies = service.depends_on && !Array.isArray(service.depends_on) ? service.depends_on : {};
    for (const [dependency, options] of Object.entries(dependencies)) {
      if (options?.condition !== 'service_healthy') continue;
      const target = services[dependency];
      if (!target) report.fail(`${file}: service ${name} depends on ${dependency}, which is not defined`);
      else if (!target.healthcheck || target.healthcheck.disable) report.fail(`${file}: service ${name} waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      else report.pass(`${file}: service ${name} starts once ${dependency} is healthy`);
    }
  }
}
