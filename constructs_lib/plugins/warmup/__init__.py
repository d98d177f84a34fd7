"""serverless-plugin-warmup 8.4.1: warmer functions that invoke the service's functions on a
schedule, added to the service at load as the plugin adds them before v3 compiles it."""

from constructs_lib.plugins.warmup.warmers import PLUGIN, add_warmers, remove_warmer_code

__all__ = ["PLUGIN", "add_warmers", "remove_warmer_code"]
