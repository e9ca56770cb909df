#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's ABI is exactly its documented API.

Compares the functions libasync-actions-1.so exports (nm -D) with the
functions, methods, constructors and GType getters of its GIR, and fails on
any difference: a symbol exported but not in the GIR is private API that
leaked (a declaration marked AA_AVAILABLE_IN_ALL in the wrong header), one
in the GIR but not exported lost its AA_AVAILABLE_IN_ALL.

    check-abi.py LIBRARY GIR
"""
import subprocess
import sys
import xml.etree.ElementTree as ET

C_NS = '{http://www.gtk.org/introspection/c/1.0}'
GLIB_NS = '{http://www.gtk.org/introspection/glib/1.0}'


def gir_symbols(path):
    symbols = set()
    for element in ET.parse(path).iter():
        tag = element.tag.rsplit('}', 1)[-1]
        if tag in ('function', 'method', 'constructor'):
            symbols.add(element.get(C_NS + 'identifier'))
        get_type = element.get(GLIB_NS + 'get-type')
        if get_type and get_type != 'intern':
            symbols.add(get_type)
    symbols.discard(None)
    return symbols


def exported_functions(path):
    out = subprocess.run(['nm', '-D', '--defined-only', path],
                         capture_output=True, text=True, check=True).stdout
    symbols = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in 'TtWiDdBbRrV':
            symbols.add(fields[2])
    return symbols


def main():
    library, gir = sys.argv[1:3]
    exported = exported_functions(library)
    documented = gir_symbols(gir)
    leaked = sorted(exported - documented)
    missing = sorted(documented - exported)
    print('1..2')
    if leaked:
        print(f'not ok 1 - {len(leaked)} exported symbols are not in the GIR')
        for symbol in leaked:
            print(f'# leaked: {symbol}')
    else:
        print(f'ok 1 - every exported symbol ({len(exported)}) is in the GIR')
    if missing:
        print(f'not ok 2 - {len(missing)} functions of the GIR are not exported')
        for symbol in missing:
            print(f'# not exported: {symbol}')
    else:
        print(f'ok 2 - every function of the GIR ({len(documented)}) is exported')
    return 1 if leaked or missing else 0


if __name__ == '__main__':
    sys.exit(main())
