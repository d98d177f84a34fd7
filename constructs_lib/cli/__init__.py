"""The command-line face: ``sls-cdk`` commands and the one synthesis path they (and app.py) share."""
