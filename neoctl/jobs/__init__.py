"""Compilation jobs: create (fan-out, resume, result rules), wait, logs, stop, list."""
