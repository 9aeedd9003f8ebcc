"""The benchmark's log generator (``benchmarks/generate.py`` is its command line): settings, the
plan of processes read off a profile's rules, the values of attributes, and the generation of
whole columns."""
