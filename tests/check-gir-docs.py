#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every public type, function, method, virtual method, property and signal
of the library has a description in its GIR (gi-docgen comments).

    check-gir-docs.py GIR
"""
import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'
MEMBERS = ('method', 'constructor', 'function', 'virtual-method', 'property')


def documented(element):
    doc = element.find(CORE + 'doc')
    return doc is not None and (doc.text or '').strip() != ''


def main():
    namespace = ET.parse(sys.argv[1]).getroot().find(CORE + 'namespace')
    missing = []
    for element in namespace:
        kind = element.tag.rsplit('}', 1)[-1]
        name = element.get('name')
        if kind in ('class', 'record', 'enumeration', 'bitfield', 'callback', 'interface', 'constant'):
            if element.get(GLIB + 'is-gtype-struct-for') is None and not documented(element):
                missing.append(f'{kind} {name}')
            for member in element:
                member_kind = member.tag.rsplit('}', 1)[-1]
                if member_kind in MEMBERS and not documented(member):
                    missing.append(f'{member_kind} {name}.{member.get("name")}')
                if member.tag == GLIB + 'signal' and not documented(member):
                    missing.append(f'signal {name}::{member.get("name")}')
        elif kind == 'function' and not documented(element):
            missing.append(f'function {element.get(C + "identifier")}')
    print('1..1')
    if missing:
        print(f'not ok 1 - {len(missing)} public symbols have no description')
        for symbol in missing:
            print(f'# {symbol}')
        return 1
    print('ok 1 - every public symbol of the GIR has a description')
    return 0


if __name__ == '__main__':
    sys.exit(main())
