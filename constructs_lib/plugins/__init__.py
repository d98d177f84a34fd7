"""Plugins translated natively: what each adds to the service, reproduced at load (no CDK here)."""
