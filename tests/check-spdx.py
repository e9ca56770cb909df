#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every file git tracks that can hold a comment opens with its licence
# (an SPDX line within its first lines), so the project's LGPL-2.1-or-later
# travels with each file a reader copies.
#
#   check-spdx.py SOURCE_ROOT
import os
import shutil
import subprocess
import sys

# Files that cannot hold a comment, or are not ours to label.
EXEMPT_SUFFIXES = ('.md', '.json', '.png', '.po', '.pot', '.supp')
EXEMPT_PREFIXES = ('data/screenshots/', 'tests/fuzz/corpus/', 'tests/fuzz/regressions/', 'po/')
EXEMPT_NAMES = {'LICENSE', 'LINGUAS', 'POTFILES.in', 'seed.json'}


def tracked_files(root):
    """The files git tracks; without git (a tarball, a bare system), every
    file under the root but build folders and git's own."""
    if shutil.which('git') and os.path.exists(os.path.join(root, '.git')):
        out = subprocess.run(['git', '-C', root, 'ls-files'], capture_output=True, text=True, check=True).stdout
        return out.split('\n')
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != '.git' and not d.startswith('_build') and d != '__pycache__']
        names += [os.path.relpath(os.path.join(folder, f), root) for f in files if f != '.git']
    return names


root = sys.argv[1]
files = tracked_files(root)
missing = []
for name in filter(None, files):
    if (name.endswith(EXEMPT_SUFFIXES) or name.startswith(EXEMPT_PREFIXES)
            or os.path.basename(name) in EXEMPT_NAMES):
        continue
    try:
        with open(os.path.join(root, name), encoding='utf-8') as f:
            head = f.read(600)
    except (UnicodeDecodeError, FileNotFoundError):
        continue
    if 'SPDX-License-Identifier: LGPL-2.1-or-later' not in head:
        missing.append(name)

print('1..1')
if missing:
    print(f'not ok 1 - {len(missing)} files have no SPDX licence line:')
    for name in missing:
        print(f'# {name}')
    sys.exit(1)
print('ok 1 - every tracked source file names its licence')
