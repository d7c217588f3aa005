// Rules for the services' Dockerfiles and the .dockerignore of the build context.

import fs from 'node:fs';
import path from 'node:path';
import {
  dockerignore,
  globalArgs,
  parseArg,
  parseCopy,
  parseDockerfile,
  parseEnv,
  parseHealthcheck,
  stages,
  substitute,
  unpinnedReason,
} from './dockerfile.mjs';

/** Variables the official .NET images define: APP_UID is their non-root "app" user. */
const DOTNET_IMAGE_ENV = { APP_UID: '1654' };

/** The service folders: every folder under services/ with a project file. */
export function serviceFolders(root) {
  const services = path.join(root, 'services');
  if (!fs.existsSync(services)) return [];
  return fs
    .readdirSync(services, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => fs.readdirSync(path.join(services, entry.name)).some((file) => file.endsWith('.csproj')))
    .map((entry) => entry.name)
    .sort();
}

export function checkDockerfiles(root, report) {
  report.section('Dockerfiles (services/*/Dockerfile)');
  const services = serviceFolders(root);
  if (services.length === 0) {
    report.fail('no service folders (with a .csproj) under services/');
    return;
  }
  const copied = [];
  for (const service of services) {
    const file = `services/${service}/Dockerfile`;
    const full = path.join(root, file);
    if (!fs.existsSync(full)) {
      report.fail(`${file} is missing: every service needs an image`);
      continue;
    }
    const parsed = checkDockerfile(file, fs.readFileSync(full, 'utf8'), report);
    checkRestoreLayer(root, service, file, parsed.copiedFromContext, report);
    copied.push(...parsed.copiedFromContext.map((source) => ({ file, ...source })));
  }
  checkDockerignore(root, copied, report);
}

/**
 * The restore layer copies the project file of the service and of every project it references,
 * directly or not: a reference missing there fails `dotnet restore` in the image build only.
 */
export function checkRestoreLayer(root, service, file, copiedFromContext, report) {
  const folder = path.join(root, 'services', service);
  const project = fs.readdirSync(folder).find((name) => name.endsWith('.csproj'));
  const copied = new Set(copiedFromContext.map(({ source }) => path.posix.normalize(source)));
  const needed = projectClosure(path.join(folder, project)).flatMap((full) => [full, ...buildPropsAbove(root, path.dirname(full))]);
  const missing = [...new Set(needed)]
    .map((full) => path.relative(root, full).split(path.sep).join('/'))
    .filter((relative) => !copied.has(relative) && !copied.has(path.posix.dirname(relative) + '/'));
  if (missing.length > 0) {
    report.fail(`${file}: the restore layer does not copy ${missing.join(', ')}, which the service's build needs`);
  } else {
    report.pass(`${file}: the restore layer copies every project file and Directory.Build.props the service's build needs`);
  }
}

/** The Directory.Build.props files MSBuild imports for a project folder, below the root. */
function buildPropsAbove(root, folder) {
  const found = [];
  for (let dir = folder; dir.startsWith(root) && dir !== root; dir = path.dirname(dir)) {
    const props = path.join(dir, 'Directory.Build.props');
    if (fs.existsSync(props)) found.push(props);
  }
  return found;
}

/** A project file and every project file it references, directly or not. */
export function projectClosure(projectFile, seen = new Set()) {
  if (seen.has(projectFile)) return [];
  seen.add(projectFile);
  const text = fs.readFileSync(projectFile, 'utf8');
  for (const match of text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)) {
    const referenced = path.resolve(path.dirname(projectFile), match[1].replaceAll('\\', '/'));
    projectClosure(referenced, seen);
  }
  return [...seen];
}

/** Checks one Dockerfile; returns what it copies from the build context. */
export function checkDockerfile(file, text, report) {
  const instructions = parseDockerfile(text);
  const all = stages(instructions);
  const copiedFromContext = [];
  if (all.length === 0) {
    report.fail(`${file}: no FROM instruction`);
    return { copiedFromContext };
  }

  const args = globalArgs(instructions);
  const stageNames = new Set();
  for (const stage of all) {
    const unknown = [];
    const reference = substitute(stage.from, args, unknown);
    if (unknown.length > 0) {
      report.fail(`${file}:${stage.line}: FROM ${stage.from} uses ${unknown.join(', ')}, which has no default: the base image cannot be told`);
    } else if (stageNames.has(reference) || reference === 'scratch') {
      report.pass(`${file}:${stage.line}: stage builds on ${reference}`);
    } else {
      const reason = unpinnedReason(reference);
      if (reason) report.fail(`${file}:${stage.line}: base image ${reason}; pin a version tag (or a digest)`);
      else report.pass(`${file}:${stage.line}: base image ${reference} is pinned`);
    }
    if (stage.name) stageNames.add(stage.name);
  }

  const final = all[all.length - 1];
  const finalLabel = `${file}: final stage (line ${final.line})`;
  const known = { ...args, ...(/^mcr\.microsoft\.com\/dotnet\//.test(final.from) ? DOTNET_IMAGE_ENV : {}) };

  for (const [index, stage] of all.entries()) {
    const isFinal = index === all.length - 1;
    for (const instruction of stage.instructions) {
      if (isFinal && instruction.keyword === 'ENV') Object.assign(known, parseEnv(instruction.args));
      if (isFinal && instruction.keyword === 'ARG') Object.assign(known, parseArg(instruction.args));
      if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        const copy = parseCopy(instruction);
        if (copy.flags.from === undefined) {
          copiedFromContext.push(...copy.sources.map((source) => ({ source, line: instruction.line })));
          if (isFinal) {
            report.fail(`${file}:${instruction.line}: the final stage copies "${copy.sources.join(' ')}" from the build context; it should hold only the published output (COPY --from=<build stage>)`);
          }
        }
      }
    }
  }

  // Non-root user.
  const users = final.instructions.filter((instruction) => instruction.keyword === 'USER');
  if (users.length === 0) {
    report.fail(`${finalLabel} sets no USER, so the container runs as the base image's user (root for the .NET images); add USER $APP_UID`);
  } else {
    const user = users[users.length - 1];
    const unknown = [];
    const value = substitute(user.args, known, unknown);
    const name = value.split(':')[0];
    if (unknown.length > 0) {
      report.fail(`${file}:${user.line}: USER ${user.args} uses ${unknown.join(', ')}, which is not defined: cannot tell whether it is root`);
    } else if (name === 'root' || name === '0') {
      report.fail(`${file}:${user.line}: USER ${user.args} is root; run as a non-root user (USER $APP_UID)`);
    } else {
      report.pass(`${file}:${user.line}: runs as non-root USER ${user.args}${value !== user.args ? ` (${value})` : ''}`);
    }
  }

  // Health check.
  const healthchecks = final.instructions.filter((instruction) => instruction.keyword === 'HEALTHCHECK');
  const healthcheck = healthchecks.length ? parseHealthcheck(healthchecks[healthchecks.length - 1].args) : null;
  if (!healthcheck) report.fail(`${finalLabel} has no HEALTHCHECK ... CMD`);
  else if (healthcheck.none) report.fail(`${finalLabel} disables the HEALTHCHECK`);
  else report.pass(`${finalLabel} has a HEALTHCHECK`);

  // Exec-form entry point, so that the service itself receives SIGTERM and can drain.
  const entrypoints = final.instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT');
  const entrypoint = entrypoints[entrypoints.length - 1];
  if (!entrypoint) report.fail(`${finalLabel} has no ENTRYPOINT`);
  else if (!entrypoint.json) report.fail(`${file}:${entrypoint.line}: ENTRYPOINT is in shell form: the shell, not the service, would get SIGTERM; use ["dotnet", "X.dll"]`);
  else report.pass(`${file}:${entrypoint.line}: ENTRYPOINT ${JSON.stringify(entrypoint.json)} is in exec form`);

  // A publish step in a build stage.
  const publishes = all
    .slice(0, -1)
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === 'RUN' && /\bdotnet\s+publish\b/.test(instruction.args));
  if (publishes.length === 0) report.fail(`${file}: no build stage runs "dotnet publish"`);
  else report.pass(`${file}:${publishes[0].line}: a build stage runs dotnet publish`);

  return { copiedFromContext };
}

/** Build output never goes into the context, and nothing a Dockerfile copies is ignored. */
export function checkDockerignore(root, copied, report) {
  const file = path.join(root, '.dockerignore');
  if (!fs.existsSync(file)) {
    report.fail('.dockerignore is missing at the repository root (the build context)');
    return;
  }
  const rules = dockerignore(fs.readFileSync(file, 'utf8'));
  const samples = {
    'build output (bin/)': 'services/gateway/bin/Release/net10.0/ChatPlatform.Gateway.dll',
    'intermediate output (obj/)': 'libs/contracts/obj/project.assets.json',
    '.git': '.git/HEAD',
  };
  for (const [what, sample] of Object.entries(samples)) {
    if (rules.ignores(sample)) report.pass(`.dockerignore keeps ${what} out of the build context`);
    else report.fail(`.dockerignore lets ${what} into the build context (${sample}); exclude **/bin, **/obj and .git`);
  }
  const seen = new Set();
  for (const { file: dockerfile, source, line } of copied) {
    const clean = source.replace(/^\.\//, '').replace(/\/+$/, '');
    if (seen.has(clean) || clean === '.' || clean === '') continue;
    seen.add(clean);
    if (rules.ignores(clean)) report.fail(`${dockerfile}:${line}: copies ${source}, which .dockerignore excludes`);
  }
  report.pass(`.dockerignore excludes none of the ${seen.size} paths the Dockerfiles copy`);
}
