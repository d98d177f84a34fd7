'use strict';

// an object export: plain values, a function member (called with v3's helpers) and a promise
module.exports = {
  memory: 256,
  tags: { team: 'core', owner: 'platform' },
  logLevel: async ({ options }) => (options.stage === 'prod' ? 'warn' : 'debug'),
  table: async ({ resolveVariable, resolveConfigurationProperty }) => {
    const service = await resolveVariable('self:service');
    const runtime = await resolveConfigurationProperty(['provider', 'runtime']);
    return `${service}-${runtime.replace('.', '-')}-table`;
  },
  later: Promise.resolve({ timeout: 12 }),
};
