'use strict';

// Runs one `${file(x.js):address}` the way Serverless v3 does (lib/configuration/variables/
// sources/file.js), for sls-cdk's `--allow-js` / `custom.slsCdk.allowJavaScript: true`.
//
// Protocol, one JSON document per line. stdin first carries the request
// {"file": "/abs/x.js", "address": "a.b" | null, "options": {...}}. stdout then carries questions
// {"ask": "variable", "text": "self:service"}, {"ask": "property", "path": ["provider", "stage"]}
// or {"ask": "string", "text": "..${x}.."}, each answered on stdin by {"value": v} or
// {"missing": true} or {"failed": "message"}; and last {"value": v} | {"missing": true} |
// {"error": {"step": "...", "message": "first line"}}. The configuration's own output (console.log,
// process.stdout.write) goes to stderr, so only this runner writes on stdout.

const readline = require('readline');

const protocol = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.error;
console.info = console.error;

process.on('unhandledRejection', () => {}); // v3 awaits only what the address reaches

const lines = readline.createInterface({ input: process.stdin, terminal: false });
const waiting = [];
lines.on('line', (line) => {
  const next = waiting.shift();
  if (next) next(JSON.parse(line));
});
lines.on('close', () => {
  while (waiting.length) waiting.shift()({ failed: 'sls-cdk stopped answering' });
});

const send = (message) => protocol(`${JSON.stringify(message)}\n`);
const receive = () => new Promise((resolve) => waiting.push(resolve));

class Unanswered extends Error {}

const ask = async (question) => {
  send(question);
  const answer = await receive();
  if (answer.failed !== undefined) throw new Unanswered(answer.failed);
  return answer.missing ? undefined : answer.value;
};

const firstLine = (error) => {
  if (error instanceof Error) {
    const text = `${error.name}: ${error.message}`.split('\n')[0];
    if (error instanceof SyntaxError && typeof error.stack === 'string') {
      const where = error.stack.split('\n')[0];
      if (where && where !== text) return `${text} (${where})`;
    }
    return text;
  }
  return String(error).split('\n')[0];
};

class StepError extends Error {
  constructor(step, cause) {
    super(firstLine(cause));
    this.step = step;
    this.cause = cause;
  }
}

const isPlainFunction = (value) =>
  typeof value === 'function' && !/^class[\s{]/.test(Function.prototype.toString.call(value));

async function run(request) {
  const helpers = {
    options: request.options,
    resolveConfigurationProperty: async (keys) =>
      ask({ ask: 'property', path: (Array.isArray(keys) ? keys : [keys]).map(String) }),
    resolveVariable: async (text) => ask({ ask: 'variable', text: String(text) }),
  };
  const call = async (fn, step) => {
    try {
      return await fn(helpers);
    } catch (error) {
      if (error instanceof Unanswered) throw error;
      throw new StepError(step, error);
    }
  };
  let result;
  try {
    result = require(request.file);
  } catch (error) {
    throw new StepError('load', error);
  }
  let calledFunction = false;
  if (isPlainFunction(result)) {
    calledFunction = true;
    result = await call(result, 'function');
  } else {
    try {
      result = await result;
    } catch (error) {
      throw new StepError('promise', error);
    }
  }
  if (request.address) {
    if (result == null) return undefined;
    for (const key of request.address.split('.')) {
      if (typeof result === 'string') result = await ask({ ask: 'string', text: result });
      result = result[key];
      if (result == null) return undefined;
      if (calledFunction) continue;
      if (isPlainFunction(result)) {
        calledFunction = true;
        result = await call(result, `function at ${request.address}`);
      } else {
        try {
          result = await result;
        } catch (error) {
          throw new StepError(`promise at ${request.address}`, error);
        }
        if (result == null) return undefined;
      }
    }
  }
  return result;
}

async function main() {
  const request = await receive();
  let value;
  try {
    value = await run(request);
  } catch (error) {
    if (error instanceof Unanswered) {
      send({ error: { step: 'answer', message: error.message } });
    } else if (error instanceof StepError) {
      send({ error: { step: error.step, message: error.message } });
    } else {
      send({ error: { step: 'run', message: firstLine(error) } });
    }
    return;
  }
  if (value == null) {
    send({ missing: true });
    return;
  }
  if (typeof value === 'function' || typeof value === 'symbol') {
    send({ error: { step: 'value', message: `the value is a ${typeof value}, not JSON` } });
    return;
  }
  let text;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    send({ error: { step: 'value', message: firstLine(error) } });
    return;
  }
  protocol(`{"value":${text}}\n`);
}

main().then(
  () => lines.close(),
  (error) => {
    send({ error: { step: 'run', message: firstLine(error) } });
    lines.close();
  }
);
