"""The loader layer: from a path to fully checked services.

parse -> resolve -> validate (``config/``) -> build hooks -> packaging -> cross-field checks ->
safety warnings, every user error of every stage collected and located. Never imports aws_cdk.
"""
