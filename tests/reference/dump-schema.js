// Prints Serverless v3's whole configuration schema (core, the aws provider and every built-in
// plugin's events) as JSON: tests/reference/regenerate.py writes it to v3-schema.json.
//   node dump-schema.js <path of the installed serverless package>
'use strict';

const path = require('path');

const Serverless = require(path.join(process.argv[2], 'lib', 'serverless.js'));

(async () => {
  const serverless = new Serverless({
    commands: ['print'],
    options: {},
    serviceDir: process.cwd(),
    configuration: { service: 'schema', provider: { name: 'aws' } },
    configurationFilename: 'serverless.yml',
    isConfigurationResolved: true,
    hasResolvedCommandsExternally: true,
    isTelemetryReportedExternally: true,
  });
  await serverless.init(); // loads the plugins, which define their parts of the schema
  process.stdout.write(JSON.stringify(serverless.configSchemaHandler.schema));
})().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
