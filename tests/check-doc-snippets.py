#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The docs' code comes from the examples, which run as tests.

In a page of docs/, a fenced code block right after a line

    <!-- example: examples/todo.py toggle -->

must be the part of examples/todo.py between its two lines that contain
"[toggle]" (the marker lines themselves left out, the common indentation
removed). Fails on any block that differs; --update rewrites them.

    check-doc-snippets.py [--update] SOURCE_ROOT
"""
import glob
import os
import re
import sys
import textwrap

MARKER = re.compile(r'^<!-- example: (\S+) (\S+) -->\n```[a-z]*\n(.*?)^```\n', re.M | re.S)


def region(root, path, name):
    lines = open(os.path.join(root, path), encoding='utf-8').read().split('\n')
    marks = [i for i, line in enumerate(lines) if f'[{name}]' in line]
    if len(marks) < 2:
        raise SystemExit(f'{path} has no region [{name}]')
    return textwrap.dedent('\n'.join(lines[marks[0] + 1:marks[1]])).strip('\n') + '\n'


def main():
    update = '--update' in sys.argv
    root = [a for a in sys.argv[1:] if a != '--update'][0]
    failures = []
    n = 0
    for page in sorted(glob.glob(os.path.join(root, 'docs', '*.md'))):
        text = open(page, encoding='utf-8').read()

        def check(match):
            nonlocal n
            n += 1
            path, name, block = match.group(1), match.group(2), match.group(3)
            want = region(root, path, name)
            if block != want:
                failures.append(f'{os.path.basename(page)}: {path} [{name}]')
            lang = match.group(0).split('\n')[1]
            return f'<!-- example: {path} {name} -->\n{lang}\n{want}```\n'

        new = MARKER.sub(check, text)
        if update and new != text:
            open(page, 'w', encoding='utf-8').write(new)
    print('1..1')
    if failures and not update:
        print(f'not ok 1 - {len(failures)} of {n} snippets differ from the examples '
              '(tests/check-doc-snippets.py --update SOURCE_ROOT rewrites them)')
        for failure in failures:
            print(f'# {failure}')
        return 1
    print(f'ok 1 - {n} snippets in docs/ are the examples\' code')
    return 0


if __name__ == '__main__':
    sys.exit(main())
