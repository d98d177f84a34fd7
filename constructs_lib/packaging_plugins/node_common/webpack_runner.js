// Compiles the way serverless-webpack 5.16.2 does (lib/validate.js, lib/compile.js), with the
// webpack the service installed and its own webpack config, writing nowhere in the service
// folder. argv[2] is a JSON file {"webpack": <package path>, "cwd": <service folder>,
// "config": <config file>, "entries": {<key>: <./file.ext>}, "service": <name>,
// "functions": {<key>: <handler file>}, "individually": bool, "out": <folder>}.
// `require('serverless-webpack')` in the config gets the plugin's `lib` (entries, isLocal false,
// serverless, options), as inside the plugin. Outputs land under "out" at their path relative
// to the config's output folder (.webpack by default), one subfolder per compile as the plugin's.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

function installLib(job) {
  const lib = {
    entries: job.entries,
    webpack: { isLocal: false },
    serverless: { service: { service: job.service, getServiceObject: () => ({ name: job.service }) }, config: { servicePath: job.cwd } },
    options: { stage: job.stage, region: job.region },
  };
  const id = path.join(job.cwd, '__sls_cdk_serverless_webpack__.js');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === 'serverless-webpack') return id;
    return resolve.call(this, request, ...rest);
  };
  const mod = new Module(id);
  mod.filename = id;
  mod.loaded = true;
  mod.exports = { lib }; // the plugin class; its static `lib` is what configs read
  require.cache[id] = mod;
}

function redirected(root, out) {
  const map = (p) => {
    const relative = path.relative(root, p);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`webpack wrote outside its output folder: ${p}`);
    return path.join(out, relative);
  };
  const wrap = (name) => (p, ...rest) => fs[name](map(p), ...rest);
  const ofs = {};
  for (const name of ['mkdir', 'writeFile', 'stat', 'lstat', 'readFile', 'readdir', 'rmdir', 'unlink', 'rm']) ofs[name] = wrap(name);
  ofs.join = path.join;
  ofs.relative = path.relative;
  ofs.dirname = path.dirname;
  return ofs;
}

function configs(job, config) {
  config.context = config.context || job.cwd;
  config.target = config.target || 'node';
  if (!config.output || Object.keys(config.output).length === 0) {
    config.output = { libraryTarget: 'commonjs', path: path.join(job.cwd, '.webpack'), filename: '[name].js' };
  }
  if (!config.node || Object.keys(config.node).length === 0) config.node = false;
  const root = config.output.path;
  if (!job.individually) {
    config.output.path = path.join(root, 'service');
    return { root, list: [config] };
  }
  if (config.entry && JSON.stringify(config.entry) !== JSON.stringify(job.entries)) {
    throw new Error('Webpack entry must be automatically resolved when package.individually is set to true. In webpack.config.js, remove the entry declaration or set entry to slsw.lib.entries.');
  }
  const list = [];
  for (const [key, value] of Object.entries(job.entries)) {
    const names = Object.entries(job.functions).filter(([, file]) => file === key).map(([fn]) => fn);
    for (const name of names.length ? names : [null]) {
      const copy = { ...config, output: { ...config.output }, entry: { [key]: value } };
      copy.output.path = path.join(root, name || key);
      list.push(copy);
    }
  }
  return { root, list };
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  process.chdir(job.cwd);
  installLib(job);
  const file = path.join(job.cwd, job.config);
  if (!fs.existsSync(file)) throw new Error(`The webpack plugin could not find the configuration file at: ${file}`);
  let config = require(file);
  config = config.default || config;
  config = await Promise.resolve(config);
  const { root, list } = configs(job, config);
  const webpack = require(job.webpack);
  for (const one of list) {
    const compiler = webpack(one);
    compiler.outputFileSystem = redirected(root, job.out);
    const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
    await new Promise((resolve) => compiler.close(resolve));
    if (stats.hasErrors()) {
      console.log(stats.toString({ colors: false, all: false, errors: true, warnings: false }));
      throw new Error('Webpack compilation errors, see stats above');
    }
    fs.mkdirSync(path.join(job.out, path.relative(root, one.output.path)), { recursive: true });
  }
  fs.writeFileSync(path.join(job.out, '.sls-cdk-outputs.json'), JSON.stringify(list.map((c) => path.relative(root, c.output.path))));
}

main().catch((error) => {
  console.error(error && error.message ? error.message : String(error));
  process.exit(1);
});
