#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every GTest path names one test: no two programs register the same one.

    check-test-names.py PROGRAM...

Lists each program's tests (-l) and fails on a path found in two programs
(or twice in one), so that a name in a log says which test it was.
"""
import collections
import os
import subprocess
import sys

owners = collections.defaultdict(list)
for program in sys.argv[1:]:
    out = subprocess.run([program, '-l'], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith('/'):
            owners[line.strip()].append(os.path.basename(program))

duplicates = {path: programs for path, programs in owners.items() if len(programs) > 1}
print('1..1')
if duplicates:
    print(f'not ok 1 - {len(duplicates)} test paths are registered more than once')
    for path, programs in sorted(duplicates.items()):
        print(f'# {path}: {", ".join(programs)}')
    sys.exit(1)
print(f'ok 1 - {len(owners)} test paths in {len(sys.argv) - 1} programs, each once')
