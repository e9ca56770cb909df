#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fails when po/POTFILES.in misses a file with strings marked for
# translation, or lists a file that does not exist: either way a translator
# would silently miss strings.
#
#   check-potfiles.py SOURCE_ROOT
import os
import re
import sys

MARKED = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|g_dn?gettext|g_dpgettext2?|n?gettext)\s*\(\s*(?:GETTEXT_PACKAGE\s*,\s*)?"'
                    r'|translatable="yes"')
DATA_TEMPLATES = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')


def marked_files(root):
    found = set()
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith(DATA_TEMPLATES):
                    found.add(rel)
                elif name.endswith(('.c', '.h', '.ui')):
                    with open(path, encoding='utf-8') as f:
                        if MARKED.search(f.read()):
                            found.add(rel)
    return found


def listed_files(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def main():
    root = sys.argv[1]
    listed = listed_files(root)
    marked = marked_files(root)
    status = 0

    missing = sorted(marked - set(listed))
    if missing:
        status = 1
        print('These files have strings marked for translation but are not in po/POTFILES.in:')
        for path in missing:
            print('  ' + path)

    absent = [path for path in listed if not os.path.isfile(os.path.join(root, path))]
    if absent:
        status = 1
        print('po/POTFILES.in lists files that do not exist:')
        for path in absent:
            print('  ' + path)

    duplicates = sorted({path for path in listed if listed.count(path) > 1})
    if duplicates:
        status = 1
        print('po/POTFILES.in lists these files more than once:')
        for path in duplicates:
            print('  ' + path)

    if status == 0:
        print(f'po/POTFILES.in lists all {len(marked)} files with translatable strings.')
    return status


if __name__ == '__main__':
    sys.exit(main())
