"""Fallback for machines without /usr/bin/time: run a command, report its wall time and
peak RSS. Usage: python rusage_exec.py REPORT_FILE COMMAND [ARGS...]

Peak RSS must be measured from a process that *forked* the command, not from the
harness: Linux records the RSS of the address space a process leaves at exec(), and a
child the harness vforks leaves the harness's own (large) address space. Here that is
this small interpreter's, which is below any Python CLI's peak and so does not show.
Writes "<wall seconds> <ru_maxrss KiB>" to REPORT_FILE and exits with the command's code.
"""

import os
import sys
import time

report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w", encoding="ascii") as fh:
    fh.write(f"{wall:.6f} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
