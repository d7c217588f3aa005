// Unknown fields. The JSON schemas of kubernetes-models allow fields they do not know, but
// the API server rejects them (kubectl's strict field validation), and a misspelt optional
// field would otherwise pass unnoticed. The TypeScript declarations of kubernetes-models name
// every field, so each manifest is type-checked as an object literal of its kind's interface,
// and every property the interface does not have is reported with its path.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const toolDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Parsed declaration files, kept across calls (the self-test checks many manifests).
const declarations = new Map();

/**
 * Finds unknown fields in `objects` ({ apiVersion, kind, ... } with a kubernetes-models type).
 * Returns, per object, a list of { path: [...], field, type }.
 */
export function unknownFields(objects) {
  const fileName = path.join(toolDirectory, '__manifests__.ts');
  const lines = objects.map((object, index) => {
    const module = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    return `export const d${index}: import(${JSON.stringify(module)}).I${object.kind} = ${JSON.stringify(object)};`;
  });
  const source = lines.join('\n');

  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    if (path.resolve(name) === fileName) return ts.createSourceFile(name, source, language, true);
    if (!declarations.has(name)) declarations.set(name, getSourceFile(name, language, ...rest));
    return declarations.get(name);
  };
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);

  const program = ts.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);

  // A type that cannot be resolved would make every field look fine: report it instead.
  const unresolved = ts
    .getPreEmitDiagnostics(program, file)
    .filter((diagnostic) => diagnostic.code === 2307 || diagnostic.code === 2694 || diagnostic.code === 2305)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
  if (unresolved.length > 0) throw new Error(`cannot load the kubernetes-models type declarations: ${unresolved[0]}`);

  const results = objects.map(() => []);
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const index = Number(declaration.name.getText(file).slice(1));
      walk(declaration.initializer, [], results[index]);
    }
  }
  return results;

  function walk(node, nodePath, found) {
    if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach((element, index) => walk(element, [...nodePath, index], found));
      return;
    }
    if (!ts.isObjectLiteralExpression(node)) return;
    let type = checker.getContextualType(node);
    if (type) type = checker.getNonNullableType(type);
    const open = !type || (type.flags & ts.TypeFlags.Any) !== 0 || (type.flags & ts.TypeFlags.Unknown) !== 0;
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = ts.isStringLiteral(property.name) ? property.name.text : property.name.getText(file);
      if (!open && !hasProperty(type, name)) {
        found.push({ path: nodePath, field: name, type: checker.typeToString(type) });
        continue;
      }
      walk(property.initializer, [...nodePath, name], found);
    }
  }

  function hasProperty(type, name) {
    const candidates = type.isUnion() ? type.types : [type];
    return candidates.some(
      (candidate) =>
        (candidate.flags & ts.TypeFlags.Object) === 0 ||
        checker.getPropertyOfType(candidate, name) !== undefined ||
        checker.getIndexInfosOfType(candidate).length > 0,
    );
  }
}
