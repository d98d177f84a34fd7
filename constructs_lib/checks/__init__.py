"""Checks over a service or its templates: safety warnings (at load), the deployer policy,
cdk-nag packs and the replacement report (over synthesized templates)."""
