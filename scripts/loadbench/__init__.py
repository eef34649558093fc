"""The HTTP load benchmark behind scripts/bench_load.py (a script, not part of midback)."""
