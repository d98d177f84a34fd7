"""The plugin's ``unzip_requirements.py`` (6.1.2, MIT), byte for byte: with ``zip: true`` the
handler imports it to unpack ``.requirements.zip`` into ``/tmp/sls-py-req`` at cold start, so it
must be the plugin's own code."""

from __future__ import annotations

__all__ = ["UNZIP_REQUIREMENTS"]

UNZIP_REQUIREMENTS = """import os
import shutil
import sys
import zipfile


pkgdir = '/tmp/sls-py-req'

# We want our path to look like [working_dir, serverless_requirements, ...]
sys.path.insert(1, pkgdir)

if not os.path.exists(pkgdir):
    tempdir = '/tmp/_temp-sls-py-req'
    if os.path.exists(tempdir):
        shutil.rmtree(tempdir)

    default_lambda_task_root = os.environ.get('LAMBDA_TASK_ROOT', os.getcwd())
    lambda_task_root = os.getcwd() if os.environ.get('IS_LOCAL') == 'true' else default_lambda_task_root
    zip_requirements = os.path.join(lambda_task_root, '.requirements.zip')

    zipfile.ZipFile(zip_requirements, 'r').extractall(tempdir)
    os.rename(tempdir, pkgdir)  # Atomic
"""
