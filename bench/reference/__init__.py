"""A lean reference app for bench/cpu.py (see app.py)."""
