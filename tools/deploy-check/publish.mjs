#!/usr/bin/env node
// Runs each service's Dockerfile the way Docker would, as far as it can without Docker:
//
//   node tools/deploy-check/publish.mjs [--keep] [--root=DIR] [service...]
//
// For every stage it recreates the build context's files in a temporary folder standing for
// the stage's file system: WORKDIR, ENV and ARG are followed, COPY copies from the build
// context (minus what .dockerignore excludes) or from an earlier stage, and the RUN steps
// that call `dotnet` run as written, with their container paths (/src, /app) mapped into
// that folder. Other RUN steps (such as installing curl into the runtime image) need the
// base image and are skipped, and said so.
//
// Then it starts the service from the final stage's WORKDIR with its ENTRYPOINT and ENV,
// on a free loopback port and with Redis and RabbitMQ pointed at closed ports, and checks:
// /healthz answers 200, /readyz answers 503 (its servers are unreachable), the HEALTHCHECK
// command succeeds against it and fails against a closed port, and SIGTERM stops it cleanly.
// A service that needs settings only its operator can give (the gateway's token key) is first
// started without them and must refuse to run, then started with them.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dockerignore,
  durationMs,
  globalArgs,
  parseArg,
  parseCopy,
  parseDockerfile,
  parseEnv,
  parseHealthcheck,
  stages,
  substitute,
} from './lib/dockerfile.mjs';
import { serviceFolders } from './lib/dockerfiles.mjs';
import { Report } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const rootOption = argv.find((arg) => arg.startsWith('--root='));
const root = path.resolve(rootOption ? rootOption.slice('--root='.length) : path.join(here, '..', '..'));
const keep = argv.includes('--keep');
const wanted = argv.filter((arg) => !arg.startsWith('--'));

const COMMAND_TIMEOUT_MS = 10 * 60 * 1000;
const START_TIMEOUT_MS = 60 * 1000;
const STOP_TIMEOUT_MS = 20 * 1000;

// As in a container, where each RUN step ends with everything it started: no MSBuild nodes,
// MSBuild server or compiler server are left running after a step.
const BUILD_SERVERS_OFF = { MSBUILDDISABLENODEREUSE: '1', DOTNET_CLI_USE_MSBUILD_SERVER: '0', UseSharedCompilation: 'false' };

/**
 * Settings an operator must give a service's image, as docker-compose.yml and k8s/ do: without
 * them the service must refuse to start, naming the section to configure.
 */
const OPERATOR_SETTINGS = {
  gateway: {
    section: 'Auth',
    env: {
      Auth__Jwt__Secret: 'publish-test-secret-of-at-least-32-bytes',
      Auth__Jwt__Issuer: 'publish-test',
      Auth__Jwt__Audience: 'chatplatform',
    },
  },
};

const report = new Report();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chatplatform-publish-'));
const running = new Set();

function cleanup() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // commands run in their own process group
    } catch {
      child.kill('SIGKILL');
    }
  }
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const started = Date.now();
try {
  const services = wanted.length ? wanted : serviceFolders(root);
  for (const service of services) await checkService(service);
} finally {
  cleanup();
}

console.log('');
const elapsed = seconds(Date.now() - started);
if (report.failures.length > 0) {
  console.log(`publish-test: ${report.failures.length} of ${report.total} checks FAILED (${elapsed}):`);
  for (const failure of report.failures) console.log(`  - ${failure}`);
  process.exit(1);
}
console.log(`publish-test: all ${report.total} checks succeeded (${elapsed})${keep ? `; files kept in ${work}` : ''}`);

// --- one service -------------------------------------------------------------------------

async function checkService(service) {
  const dockerfile = `services/${service}/Dockerfile`;
  report.section(`${dockerfile}, emulated in ${path.join(work, service)}`);
  if (!fs.existsSync(path.join(root, dockerfile))) {
    report.fail(`${dockerfile} is missing`);
    return;
  }
  const instructions = parseDockerfile(fs.readFileSync(path.join(root, dockerfile), 'utf8'));
  const ignoreFile = path.join(root, '.dockerignore');
  const ignore = dockerignore(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : '');
  const args = globalArgs(instructions);
  const built = new Map();
  let final = null;

  for (const stage of stages(instructions)) {
    const result = await emulateStage({ service, dockerfile, stage, args, ignore, built });
    if (!result) return;
    if (stage.name) built.set(stage.name, result);
    built.set(String(stage.index), result);
    final = result;
  }
  if (final) await runService(service, dockerfile, final);
}

async function emulateStage({ service, dockerfile, stage, args, ignore, built }) {
  const fsRoot = path.join(work, service, `stage-${stage.index}${stage.name ? `-${stage.name}` : ''}`);
  const base = built.get(substitute(stage.from, args));
  if (base) fs.cpSync(base.fsRoot, fsRoot, { recursive: true });
  fs.mkdirSync(fsRoot, { recursive: true });
  const state = {
    fsRoot,
    cwd: base?.cwd ?? '/',
    env: { ...(base?.env ?? {}) },
    vars: { ...args },
    roots: new Set(base?.roots ?? []),
    entrypoint: base?.entrypoint ?? null,
    cmd: base?.cmd ?? null,
    healthcheck: base?.healthcheck ?? null,
  };
  const at = (instruction) => `${dockerfile}:${instruction.line}`;
  const vars = () => ({ ...state.vars, ...state.env });

  for (const instruction of stage.instructions) {
    switch (instruction.keyword) {
      case 'WORKDIR': {
        state.cwd = path.posix.resolve(state.cwd, substitute(instruction.args, vars()));
        state.roots.add(state.cwd.split('/')[1]);
        fs.mkdirSync(hostPath(state, state.cwd), { recursive: true });
        break;
      }
      case 'ENV': {
        for (const [key, value] of Object.entries(parseEnv(instruction.args))) state.env[key] = substitute(value, vars());
        break;
      }
      case 'ARG':
        for (const [key, value] of Object.entries(parseArg(instruction.args))) if (!(key in state.vars)) state.vars[key] = value;
        break;
      case 'COPY':
      case 'ADD': {
        const problem = copy(state, instruction, ignore, built, vars());
        if (problem) {
          report.fail(`${at(instruction)}: ${instruction.keyword} ${instruction.args}: ${problem}`);
          return null;
        }
        break;
      }
      case 'RUN': {
        const command = instruction.json ? instruction.json.join(' ') : substitute(instruction.args, vars());
        if (!/^\s*dotnet\s/.test(command)) {
          report.note(`${at(instruction)}: not run here (it needs the base image): RUN ${oneLine(instruction.args)}`);
          break;
        }
        const mapped = mapPaths(command, state);
        const begun = Date.now();
        const result = await run('sh', ['-c', mapped], {
          cwd: hostPath(state, state.cwd),
          env: { ...process.env, ...BUILD_SERVERS_OFF, ...state.env },
          timeoutMs: COMMAND_TIMEOUT_MS,
        });
        const took = seconds(Date.now() - begun);
        if (result.code !== 0) {
          report.fail(`${at(instruction)}: RUN ${oneLine(command)} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}, ${took}):\n${tail(result.output, 40)}`);
          return null;
        }
        report.pass(`${at(instruction)}: RUN ${oneLine(command)} (${took})`);
        break;
      }
      case 'ENTRYPOINT':
        state.entrypoint = instruction.json ?? ['/bin/sh', '-c', instruction.args];
        break;
      case 'CMD':
        state.cmd = instruction.json ?? ['/bin/sh', '-c', instruction.args];
        break;
      case 'HEALTHCHECK':
        state.healthcheck = { line: instruction.line, ...parseHealthcheck(instruction.args) };
        break;
      default:
        break; // USER, EXPOSE, LABEL, ...: nothing to do without a container
    }
  }
  return state;
}

/** COPY/ADD into the stage's folder; returns a problem, or null. */
function copy(state, instruction, ignore, built, vars) {
  const { flags, sources, destination } = parseCopy(instruction);
  if (!destination || sources.length === 0) return 'needs a source and a destination';
  if (instruction.keyword === 'ADD' && sources.some((source) => /^[a-z]+:\/\//i.test(source))) return 'remote ADD sources are not emulated';
  let from = null;
  if (typeof flags.from === 'string') {
    from = built.get(substitute(flags.from, vars));
    if (!from) return `--from=${flags.from} is not an earlier stage (copying from another image is not emulated)`;
  }
  const target = path.posix.resolve(state.cwd, substitute(destination, vars));
  const intoFolder = destination.endsWith('/') || sources.length > 1;
  state.roots.add(target.split('/')[1]);

  for (const rawSource of sources) {
    const source = substitute(rawSource, vars);
    if (/[*?[]/.test(source)) return `the wildcard source ${source} is not emulated`;
    const relative = path.posix.normalize(source.replace(/^\/+/, ''));
    const hostSource = from ? hostPath(from, path.posix.resolve(from.cwd, source)) : path.join(root, relative);
    if (!fs.existsSync(hostSource)) return `${source} does not exist${from ? ` in stage ${flags.from}` : ' in the build context'}`;
    if (!from && relative !== '.' && ignore.ignores(relative)) return `${source} is excluded by .dockerignore`;
    const isFolder = fs.statSync(hostSource).isDirectory();
    const hostTarget = isFolder || !intoFolder ? hostPath(state, target) : path.join(hostPath(state, target), path.basename(source));
    fs.mkdirSync(isFolder ? hostTarget : path.dirname(hostTarget), { recursive: true });
    fs.cpSync(hostSource, hostTarget, {
      recursive: true,
      filter: (file) => {
        if (from) return true;
        const rel = path.relative(root, file).split(path.sep).join('/');
        return rel === '' || !ignore.ignores(rel);
      },
    });
  }
  return null;
}

function hostPath(state, containerPath) {
  return path.join(state.fsRoot, ...containerPath.split('/').filter(Boolean));
}

/** Maps container paths in a command (after -o/--output, or under a known root) into the stage folder. */
function mapPaths(command, state) {
  const parts = command.split(/(\s+)/);
  let previous = '';
  return parts
    .map((part) => {
      if (/^\s*$/.test(part)) return part;
      let mapped = part;
      const output = /^(--output=|-o=)(\/.*)$/.exec(part);
      if (output) mapped = output[1] + hostPath(state, output[2]);
      else if (part.startsWith('/') && (previous === '-o' || previous === '--output' || state.roots.has(part.split('/')[1]))) mapped = hostPath(state, part);
      previous = part;
      return mapped;
    })
    .join('');
}

// --- the published service ---------------------------------------------------------------

async function runService(service, dockerfile, final) {
  const label = `${service} (published)`;
  const command = [...(final.entrypoint ?? []), ...(final.entrypoint && final.cmd && final.entrypoint[0] !== '/bin/sh' ? final.cmd : [])];
  if (command.length === 0) {
    report.fail(`${dockerfile}: no ENTRYPOINT or CMD to start`);
    return;
  }
  const cwd = hostPath(final, final.cwd);
  const assembly = command.find((part) => part.endsWith('.dll'));
  if (assembly && !fs.existsSync(path.join(cwd, assembly))) {
    report.fail(`${dockerfile}: the ENTRYPOINT runs ${assembly}, which is not in the final stage's ${final.cwd}`);
    return;
  }
  const operator = OPERATOR_SETTINGS[service];
  if (operator) await expectRefusal(label, command, cwd, final, operator.section);

  const port = await freePort();
  const closedPorts = [await freePort(), await freePort(), await freePort()];
  const baseEnvironment = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? os.tmpdir(),
    TMPDIR: os.tmpdir(),
    ...(process.env.DOTNET_ROOT ? { DOTNET_ROOT: process.env.DOTNET_ROOT } : {}),
  };
  const environment = {
    ...baseEnvironment,
    ...final.env,
    Redis__ConnectionString: `127.0.0.1:${closedPorts[0]},connectTimeout=1000`,
    RabbitMq__Host: '127.0.0.1',
    RabbitMq__Port: String(closedPorts[1]),
    ...(operator?.env ?? {}),
  };
  const args = [...command.slice(1), '--urls', `http://127.0.0.1:${port}`];
  const logFile = path.join(work, service, 'service.log');
  const child = spawn(command[0], args, { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const log = fs.createWriteStream(logFile);
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      output += chunk;
      log.write(chunk);
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((value) => {
    exit = value;
    running.delete(child);
  });

  try {
    report.note(`${label}: ${command.join(' ')} ${args.slice(command.length - 1).join(' ')} in ${final.cwd}`);

    // Alive.
    const deadline = Date.now() + START_TIMEOUT_MS;
    let health = null;
    while (Date.now() < deadline && exit === null) {
      health = await get(port, '/healthz');
      if (health.status === 200) break;
      await sleep(200);
    }
    if (health?.status !== 200) {
      report.fail(`${label}: /healthz did not answer 200 within ${START_TIMEOUT_MS / 1000} s (${exit ? `exited with ${exit.code ?? exit.signal}` : health?.error ?? `answered ${health?.status}`}):\n${tail(output, 30)}`);
      return;
    }
    report.pass(`${label}: /healthz answers 200`);

    // Not ready while Redis and RabbitMQ are unreachable.
    const ready = await get(port, '/readyz');
    if (ready.status === 503) report.pass(`${label}: /readyz answers 503 while Redis and RabbitMQ are unreachable`);
    else report.fail(`${label}: /readyz answered ${ready.status ?? ready.error}, expected 503 with its servers unreachable`);

    // The image's HEALTHCHECK command, against the service and against a closed port.
    if (!final.healthcheck || final.healthcheck.none || !final.healthcheck.command) {
      report.fail(`${dockerfile}: no HEALTHCHECK command to run`);
    } else {
      const timeoutMs = durationMs(final.healthcheck.options.timeout, 30000) + 2000;
      const check = (checkPort) =>
        final.healthcheck.shell
          ? run('/bin/sh', ['-c', final.healthcheck.command], { cwd, env: { ...baseEnvironment, ...final.env, ASPNETCORE_HTTP_PORTS: String(checkPort) }, timeoutMs })
          : run(final.healthcheck.command[0], final.healthcheck.command.slice(1), { cwd, env: { ...baseEnvironment, ...final.env }, timeoutMs });
      const good = await check(port);
      if (good.code === 0) report.pass(`${dockerfile}:${final.healthcheck.line}: the HEALTHCHECK command succeeds against the running service`);
      else report.fail(`${dockerfile}:${final.healthcheck.line}: the HEALTHCHECK command failed (${good.timedOut ? 'timed out' : `exit ${good.code}`}): ${tail(good.output, 5)}`);
      if (final.healthcheck.shell) {
        const bad = await check(closedPorts[2]);
        if (bad.code !== 0) report.pass(`${dockerfile}:${final.healthcheck.line}: the HEALTHCHECK command fails (exit ${bad.code}) when nothing answers`);
        else report.fail(`${dockerfile}:${final.healthcheck.line}: the HEALTHCHECK command succeeded with nothing listening: it cannot detect a dead service`);
      }
    }

    // SIGTERM: the shutdown Kubernetes and Docker use.
    const stopping = Date.now();
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => null)]);
    const took = seconds(Date.now() - stopping);
    if (!stopped) report.fail(`${label}: still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM:\n${tail(output, 20)}`);
    else if (stopped.code !== 0) report.fail(`${label}: exited with ${stopped.code ?? stopped.signal} after SIGTERM:\n${tail(output, 20)}`);
    else report.pass(`${label}: stops with exit code 0, ${took} after SIGTERM`);
  } finally {
    if (exit === null) child.kill('SIGKILL');
    await Promise.race([exited, sleep(5000)]);
    log.end();
  }
}

/** Started with the image's settings alone, the service exits with an error naming the section it needs. */
async function expectRefusal(label, command, cwd, final, section) {
  const port = await freePort();
  const environment = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? os.tmpdir(),
    TMPDIR: os.tmpdir(),
    ...(process.env.DOTNET_ROOT ? { DOTNET_ROOT: process.env.DOTNET_ROOT } : {}),
    ...final.env,
  };
  const result = await run(command[0], [...command.slice(1), '--urls', `http://127.0.0.1:${port}`], { cwd, env: environment, timeoutMs: START_TIMEOUT_MS });
  if (result.timedOut) report.fail(`${label}: started without its ${section} settings; it must refuse to run unconfigured`);
  else if (result.code === 0) report.fail(`${label}: exited with 0 without its ${section} settings; expected an error`);
  else if (!result.output.includes(`${section}:`)) report.fail(`${label}: refused to start without its ${section} settings, but its error does not say so:\n${tail(result.output, 10)}`);
  else report.pass(`${label}: refuses to start without its ${section} settings (exit ${result.code}), naming them`);
}

// --- helpers -----------------------------------------------------------------------------

function run(file, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the command and everything it started
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code: code ?? 1, output, timedOut });
    });
  });
}

function get(port, pathname) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, timeout: 3000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ error: error.message }));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves after `ms`; its timer does not keep the process alive. */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function seconds(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

function tail(text, lines) {
  return String(text)
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `      | ${line}`)
    .join('\n');
}
