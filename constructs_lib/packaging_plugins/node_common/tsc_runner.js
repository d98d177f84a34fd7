// Compiles the way serverless-plugin-typescript 2.1.5 does (dist/src/typescript.js), with the
// TypeScript the service installed, writing nowhere in the service folder. argv[2] is a JSON file
// {"typescript": <package path>, "cwd": <service folder>, "tsconfig": <file name or null>,
//  "handlers": [<handler>, ...], "out": <folder>}. Files are emitted as if into <cwd>/.build and
// written under "out" at their path relative to it.
'use strict';
const fs = require('fs');
const path = require('path');

const BUILD_FOLDER = '.build';

function parsed(ts, file) {
  const text = fs.readFileSync(file).toString();
  const result = ts.parseConfigFileTextToJson(file, text);
  if (result.error) throw new Error('Invalid TSConfig file - is this file JSON format?');
  const parse = ts.parseJsonConfigFileContent(result.config, ts.sys, path.dirname(file));
  if (parse.errors.length > 0) throw new Error(JSON.stringify(parse.errors));
  return parse;
}

function options(ts, cwd, location) {
  const file = path.join(cwd, location || 'tsconfig.json');
  if (!fs.existsSync(file)) {
    return {
      preserveConstEnums: true,
      strictNullChecks: true,
      sourceMap: true,
      allowJs: true,
      target: ts.ScriptTarget.ES5,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      lib: ['lib.es2015.d.ts'],
      rootDir: './',
    };
  }
  const result = parsed(ts, file).options;
  result.rootDir = cwd;
  return result;
}

function handlerFiles(cwd, handlers) {
  return handlers.map((h) => {
    const fnName = h.split('.').pop();
    const fileName = h.substring(0, h.lastIndexOf(fnName));
    for (const ext of ['ts', 'js']) {
      if (fs.existsSync(path.join(cwd, fileName + ext))) return fileName + ext;
    }
    console.log(`Cannot locate handler - ${fileName} not found`);
    throw new Error('Typescript compilation failed. Please ensure handlers exists with ext .ts or .js');
  });
}

function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const ts = require(job.typescript);
  const cwd = job.cwd;
  process.chdir(cwd);
  const tsconfig = path.join(cwd, 'tsconfig.json');
  const extra = fs.existsSync(tsconfig) ? parsed(ts, tsconfig).fileNames.map((f) => f.replace(cwd + '/', '')) : [];
  const roots = [...new Set([...handlerFiles(cwd, job.handlers), ...extra])];
  const compilerOptions = options(ts, cwd, job.tsconfig);
  compilerOptions.outDir = BUILD_FOLDER;
  compilerOptions.listEmittedFiles = true;
  const program = ts.createProgram(roots, compilerOptions);
  const root = path.resolve(cwd, BUILD_FOLDER);
  const write = (fileName, data) => {
    const relative = path.relative(root, path.resolve(cwd, fileName));
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`TypeScript emitted outside .build: ${fileName}`);
    const target = path.join(job.out, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  };
  const emitResult = program.emit(undefined, write);
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(emitResult.diagnostics);
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file) {
      console.log(message);
      continue;
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    console.log(`${diagnostic.file.fileName} (${line + 1},${character + 1}): ${message}`);
  }
  if (emitResult.emitSkipped) throw new Error('Typescript compilation failed');
}

try {
  main();
} catch (error) {
  console.error(error && error.message ? error.message : String(error));
  process.exit(1);
}
