'use strict';

// a function export: called with {options, resolveConfigurationProperty, resolveVariable}, awaited
module.exports = async ({ options, resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  return {
    environment: { STAGE_FROM_JS: `${stage}-${options.stage}`, FEATURE: 'on' },
    nested: { reserved: 2 },
  };
};
