#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# flatpak-builder is not available here, so this checks the manifest's form:
# the fields it needs, consistent with the app it builds.
#
#   check-flatpak-manifest.py MANIFEST APP_ID
import json
import os
import sys

manifest_path, app_id = sys.argv[1:3]
with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

errors = []


def expect(condition, message):
    if not condition:
        errors.append(message)


expect(manifest.get('id') == app_id, f'"id" must be {app_id}')
expect(os.path.basename(manifest_path) == app_id + '.json', 'the file must be named after the app id')
expect(manifest.get('runtime') == 'org.gnome.Platform', '"runtime" must be org.gnome.Platform (it has GTK, libsoup 3 and json-glib)')
expect(manifest.get('sdk') == 'org.gnome.Sdk', '"sdk" must be org.gnome.Sdk')
expect(str(manifest.get('runtime-version', '')).isdigit(), '"runtime-version" must be a stable GNOME release such as "47"')
expect(manifest.get('command') == 'async-actions', '"command" must be async-actions')

finish_args = manifest.get('finish-args', [])
for arg in ('--share=ipc', '--socket=fallback-x11', '--socket=wayland', '--device=dri', '--share=network'):
    expect(arg in finish_args, f'"finish-args" needs {arg}')
expect('--socket=x11' not in finish_args, 'use --socket=fallback-x11, not --socket=x11')
expect(not any(a.startswith('--filesystem=') for a in finish_args), 'the app needs no --filesystem access')

modules = manifest.get('modules', [])
expect(len(modules) > 0, '"modules" must build the app')
if modules:
    app = modules[-1]
    expect(app.get('buildsystem') == 'meson', 'the app module builds with meson')
    expect('-Dtests=false' in app.get('config-opts', []), 'the app module passes -Dtests=false')
    sources = app.get('sources', [])
    expect(len(sources) == 1 and sources[0].get('type') in ('dir', 'git'), 'the app module has one dir or git source')
    if sources and sources[0].get('type') == 'dir':
        top = os.path.join(os.path.dirname(manifest_path), sources[0].get('path', ''))
        expect(os.path.isfile(os.path.join(top, 'meson.build')), 'the dir source must point at the project root')

for error in errors:
    print('not ok - ' + error)
if not errors:
    print(f'ok - {os.path.basename(manifest_path)} is complete')
sys.exit(1 if errors else 0)
