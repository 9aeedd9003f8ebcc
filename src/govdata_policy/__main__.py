"""``python -m govdata_policy``: the ``govdata-policy`` command line, where the console script is not
installed (a checkout run with PYTHONPATH=src)."""

from govdata_policy.cli.app import run

run()
