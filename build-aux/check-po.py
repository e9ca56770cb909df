#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# Checks every translation in po/LINGUAS: msgfmt accepts it (formats, plural
# forms, header), nothing in it is fuzzy or untranslated, and it covers every
# string the sources mark today, so that a translation cannot fall behind.
#
#   check-po.py SOURCE_ROOT PACKAGE
import os
import re
import subprocess
import sys
import tempfile

# The same extraction as i18n.gettext(preset: 'glib') in meson.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def main():
    root, package = sys.argv[1:3]
    podir = os.path.join(root, 'po')
    with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f for w in line.split('#')[0].split()]
    status = 0

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, package + '.pot')
        result = subprocess.run(['xgettext', '--package-name=' + package, '-f', os.path.join(podir, 'POTFILES.in'),
                                 '-D', root, '-k_', '-o', pot] + XGETTEXT_ARGS,
                                capture_output=True, text=True)
        if result.returncode != 0:
            print('xgettext failed:\n' + result.stderr)
            return 1
        # A msgid xgettext cannot read whole (a macro such as G_GINT64_FORMAT
        # inside it) is never found at run time: format the number apart.
        if 'warning' in result.stderr:
            print('not ok - xgettext warns about strings marked for translation:\n' + result.stderr)
            status = 1

        for lang in languages:
            po = os.path.join(podir, lang + '.po')
            result = subprocess.run(['msgfmt', '--check', '--check-accelerators=_',
                                     '--statistics', '-o', os.devnull, po],
                                    capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
            stats = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ''
            if result.returncode != 0:
                print(f'not ok - msgfmt --check {lang}.po:\n{result.stderr}')
                status = 1
                continue
            if re.search(r'fuzzy|untranslated', stats):
                print(f'not ok - {lang}.po is not complete: {stats}')
                status = 1
                continue

            # Every msgid of the sources, translated (msgcmp ignores
            # untranslated and fuzzy entries unless told otherwise).
            result = subprocess.run(['msgcmp', po, pot], capture_output=True, text=True,
                                    env=dict(os.environ, LC_ALL='C'))
            if result.returncode != 0:
                print(f'not ok - {lang}.po lacks strings of the sources; run `meson compile async-actions-update-po` '
                      f'and translate them:\n{result.stderr}')
                status = 1
                continue
            print(f'ok - {lang}.po: {stats}')

    return status


if __name__ == '__main__':
    sys.exit(main())
