'use strict';

// Preloaded into every Serverless v3 process by regenerate.py (NODE_OPTIONS=--require): answers,
// offline, the one AWS call `serverless package` makes for the reference cases, and refuses every
// other call, so regeneration never reaches AWS (and says which call a new case would need).
//
// v3 sends all its AWS calls through AwsProvider.prototype.request(service, method, params)
// (lib/plugins/aws/provider.js); `package` calls it for:
// * layers: lib/plugins/aws/package/compile/layers.js compareWithLastLayer asks
//   CloudFormation.describeStacks for the layer hash of the last deploy. We answer as AWS does on a
//   first deploy, "Stack with id <name> does not exist", which v3 takes as "no earlier layer".
// * ${aws:accountId}: lib/configuration/variables/sources/instance-dependent/get-aws.js asks
//   STS.getCallerIdentity (once, memoized) and uses its Account. We answer with the account the
//   cases use, 123456789012 (f27-aws-account-id).
// * ${cf:...}, ${ssm:...}, ${s3:...} variables and s3:// artifacts: none of the cases use them;
//   they fail below with the call named.

const Module = require('module');
const path = require('path');

const PROVIDER = path.join('serverless', 'lib', 'plugins', 'aws', 'provider.js');
const LAYERS = path.join('serverless', 'lib', 'plugins', 'aws', 'package', 'compile', 'layers.js');
const GET_AWS = path.join('variables', 'sources', 'instance-dependent', 'get-aws.js');
const ACCOUNT = '123456789012';

function request(service, method, params) {
  const fromLayers = (new Error().stack || '').includes(LAYERS);
  if (service === 'CloudFormation' && method === 'describeStacks' && fromLayers) {
    const error = new Error(`Stack with id ${params && params.StackName} does not exist`);
    error.code = 'AWS_CLOUD_FORMATION_DESCRIBE_STACKS_VALIDATION_ERROR';
    error.providerError = { code: 'ValidationError', statusCode: 400, retryable: false };
    return Promise.reject(error);
  }
  const fromGetAws = (new Error().stack || '').includes(GET_AWS);
  if (service === 'STS' && method === 'getCallerIdentity' && fromGetAws) {
    return Promise.resolve({
      UserId: 'AIDASTUBSTUBSTUBSTUB',
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:user/stub`,
    });
  }
  return Promise.reject(
    new Error(
      `stub-aws.js: unexpected AWS call during package: ${service}.${method} ${JSON.stringify(params)} ` +
        '(answer it offline in tests/reference/stub-aws.js)'
    )
  );
}

const load = Module._load;
Module._load = function patchedLoad(requested, parent, isMain) {
  const exported = load.apply(this, arguments);
  if (
    String(requested).endsWith('provider.js') &&
    typeof exported === 'function' &&
    !exported.prototype.__slsCdkStub
  ) {
    let file = '';
    try {
      file = Module._resolveFilename(requested, parent, isMain);
    } catch {
      // a built-in module or one that failed to resolve: not the provider
    }
    if (file.endsWith(PROVIDER)) {
      exported.prototype.request = request;
      exported.prototype.__slsCdkStub = true;
    }
  }
  return exported;
};
