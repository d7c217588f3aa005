// A small Dockerfile reader: instructions with their line numbers, build stages, variable
// substitution, image references and .dockerignore matching. It covers what this
// repository's Dockerfiles use, and says so when it meets something it does not handle.

const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);

/** Parses a Dockerfile's text into instructions: { line, keyword, args, json }. */
export function parseDockerfile(text) {
  const lines = text.split(/\r?\n/);
  const instructions = [];
  let current = null;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const trimmed = raw.trim();
    if (current === null) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      current = { line: index + 1, text: '' };
    } else if (trimmed === '' || trimmed.startsWith('#')) {
      continue; // empty and comment lines inside a continued instruction are dropped, as Docker does
    }
    if (trimmed.endsWith('\\')) {
      current.text += raw.replace(/\\\s*$/, '') + ' ';
      continue;
    }
    current.text += raw;
    instructions.push(toInstruction(current));
    current = null;
  }
  if (current !== null) instructions.push(toInstruction(current));
  return instructions;
}

function toInstruction({ line, text }) {
  const match = /^\s*(\S+)\s*(.*)$/s.exec(text);
  const keyword = match[1].toUpperCase();
  const args = match[2].trim();
  let json = null;
  if (JSON_FORM.has(keyword) && args.startsWith('[')) {
    try {
      const parsed = JSON.parse(args);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) json = parsed;
    } catch {
      // Docker runs a malformed JSON array as a shell command; so do we.
    }
  }
  return { line, keyword, args, json };
}

/** Splits instructions into stages: { name, index, from, line, instructions }. */
export function stages(instructions) {
  const result = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const name = words.length >= 3 && words[1].toUpperCase() === 'AS' ? words[2] : null;
      result.push({ name, index: result.length, from: words[0], line: instruction.line, instructions: [] });
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

/** Global ARGs (before the first FROM) with their defaults. */
export function globalArgs(instructions) {
  const args = {};
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') Object.assign(args, parseArg(instruction.args));
  }
  return args;
}

export function parseArg(args) {
  const [name, ...rest] = args.split('=');
  return { [name.trim()]: rest.length ? unquote(rest.join('=').trim()) : undefined };
}

/** ENV key=value pairs (quoted values allowed), or the legacy "ENV key value". */
export function parseEnv(args) {
  const result = {};
  if (!/^[^\s=]+=/.test(args)) {
    const [key, ...value] = args.split(/\s+/);
    result[key] = value.join(' ');
    return result;
  }
  for (const word of splitWords(args)) {
    const at = word.indexOf('=');
    result[word.slice(0, at)] = unquote(word.slice(at + 1));
  }
  return result;
}

/** Splits on whitespace outside quotes, keeping the quotes for unquote(). */
export function splitWords(text) {
  const words = [];
  let word = '';
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      word += c;
      if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (c === '\\' && i + 1 < text.length) {
      word += c + text[++i];
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) words.push(word);
  return words;
}

export function unquote(value) {
  let result = '';
  let quote = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) result += value[++i];
      else result += c;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\\' && i + 1 < value.length) {
      result += value[++i];
    } else {
      result += c;
    }
  }
  return result;
}

/**
 * Replaces $NAME, ${NAME} and ${NAME:-default} from `variables`. Names that are not known
 * are reported through `unknown` and left as they are.
 */
export function substitute(text, variables, unknown = []) {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced, fallback, bare) => {
    const name = braced ?? bare;
    const value = variables[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    if (value === undefined) unknown.push(name);
    return value === undefined ? whole : '';
  });
}

/**
 * Splits an image reference into { name, tag, digest }. The tag is what follows the last ':'
 * after the last '/', so a registry port is not mistaken for a tag.
 */
export function parseImageReference(reference) {
  let rest = reference;
  let digest = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/** Why an image reference is not pinned, or null when it has a concrete tag or a digest. */
export function unpinnedReason(reference) {
  const { tag, digest } = parseImageReference(reference);
  if (digest) return null;
  if (!tag) return `"${reference}" has no tag (it means "latest")`;
  if (tag.toLowerCase() === 'latest') return `"${reference}" uses the "latest" tag`;
  return null;
}

/**
 * Options of HEALTHCHECK and its command: { none, options, command (argv or shell string), shell }.
 */
export function parseHealthcheck(args) {
  const options = {};
  let rest = args.trim();
  for (;;) {
    const option = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!option) break;
    options[option[1]] = option[2];
    rest = rest.slice(option[0].length);
  }
  if (/^NONE$/i.test(rest)) return { none: true, options };
  const cmd = /^CMD\s+(.*)$/is.exec(rest);
  if (!cmd) return null;
  const body = cmd[1].trim();
  if (body.startsWith('[')) {
    try {
      const argv = JSON.parse(body);
      if (Array.isArray(argv)) return { none: false, options, command: argv, shell: false };
    } catch {
      // shell form below
    }
  }
  return { none: false, options, command: body, shell: true };
}

/**
 * .dockerignore rules, matched the way Docker does: patterns in order, "!" re-includes, and
 * a path is excluded when it or one of its parent folders matches an exclusion.
 */
export function dockerignore(text) {
  const patterns = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    let exclusion = false;
    if (line.startsWith('!')) {
      exclusion = true;
      line = line.slice(1).trim();
    }
    line = line.replace(/^\/+/, '').replace(/^\.\//, '').replace(/\/+$/, '');
    if (line === '') continue;
    patterns.push({ exclusion, regex: patternRegex(line), text: rawLine.trim() });
  }
  return {
    patterns,
    ignores(relativePath) {
      const parts = relativePath.split('/');
      let matched = false;
      for (const pattern of patterns) {
        let match = pattern.regex.test(relativePath);
        for (let i = 1; !match && i < parts.length; i++) {
          match = pattern.regex.test(parts.slice(0, i).join('/'));
        }
        if (match) matched = !pattern.exclusion;
      }
      return matched;
    },
  };
}

function patternRegex(pattern) {
  let regex = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          regex += '(?:.*/)?';
        } else {
          regex += '.*';
        }
      } else {
        regex += '[^/]*';
      }
    } else if (c === '?') {
      regex += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        regex += '\\[';
      } else {
        regex += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      regex += escapeRegex(pattern[++i]);
    } else {
      regex += escapeRegex(c);
    }
  }
  return new RegExp(regex + '$');
}

function escapeRegex(c) {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** COPY/ADD arguments: { flags, sources, destination }. */
export function parseCopy(instruction) {
  const words = instruction.json ?? splitWords(instruction.args).map(unquote);
  const flags = {};
  let i = 0;
  for (; i < words.length && words[i].startsWith('--'); i++) {
    const [name, ...value] = words[i].slice(2).split('=');
    flags[name] = value.length ? value.join('=') : true;
  }
  const paths = words.slice(i);
  return { flags, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}
