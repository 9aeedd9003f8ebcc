"""The ``govdata-policy`` command line: one small module per verb."""
