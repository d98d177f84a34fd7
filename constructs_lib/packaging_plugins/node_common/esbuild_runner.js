// Runs esbuild's JavaScript API the way serverless-esbuild calls it, without writing into the
// service folder: argv[2] is a JSON file {"esbuild": <path of the esbuild package>,
// "builds": [<esbuild options>, ...], "out": <folder>, "root": <folder the outdirs are under>}.
// Each build runs with write: false; its output files are written under "out" at their path
// relative to "root" (so source maps name the sources as the plugin's .esbuild/.build would).
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const esbuild = require(job.esbuild);
  for (const options of job.builds) {
    const result = await esbuild.build({ ...options, write: false, logLevel: 'warning' });
    for (const file of result.outputFiles) {
      const relative = path.relative(job.root, file.path);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        throw new Error(`esbuild wrote outside the build folder: ${file.path}`);
      }
      const target = path.join(job.out, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.contents);
    }
    if (options.metafile) {
      const entry = options.entryPoints[0];
      const meta = path.join(job.out, `${entry.slice(0, -path.extname(entry).length)}-meta.json`);
      fs.mkdirSync(path.dirname(meta), { recursive: true });
      fs.writeFileSync(meta, JSON.stringify(result.metafile, null, 2));
    }
  }
}

main().catch((error) => {
  if (!error.errors) console.error(error && error.message ? error.message : String(error));
  process.exit(1);
});
