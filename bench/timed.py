#!/usr/bin/env python3
"""Run a command (its output discarded) and print "wall_seconds peak_rss_kib".

bench.sh's clock. /usr/bin/time reports wall time in hundredths of a second, too coarse at
0.3 s (one hundredth moved a ratio by 0.1x); timing from the shell would add the shell's own
work (expanding 3,000 arguments: 15 ms). Here everything is prepared first; the clock starts
just before the command is spawned and stops when it is reaped, and wait4 gives the peak RSS
of that one process.
Usage: timed.py CMD [ARGS...]
"""
import os
import shutil
import sys
import time

program = shutil.which(sys.argv[1]) or sys.argv[1]
argv = [os.fsencode(a) for a in sys.argv[1:]]
env = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items()}
devnull = os.open(os.devnull, os.O_WRONLY)
quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]

start = time.perf_counter()
pid = os.posix_spawn(program, argv, env, file_actions=quiet)
_, _, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(f"{wall:.6f} {usage.ru_maxrss}")
