#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the build into a temporary DESTDIR and checks that the result is
# what a new user's launcher, software centre and shell need, and that the
# installed binaries run from there.
#
#   check-install.py MESON BUILDDIR SOURCE_ROOT PREFIX BINDIR DATADIR MANDIR LOCALEDIR APP_ID
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import xml.etree.ElementTree as ET

failures = []


def check(condition, message):
    if condition:
        print('ok - ' + message)
    else:
        print('not ok - ' + message)
        failures.append(message)
    return condition


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)


def help_options(output):
    # Long options in the "Application Options" section of --help.
    section = output.split('Application Options:', 1)[-1]
    return sorted(set(re.findall(r'^\s+(?:-\w, )?(--[a-z][a-z-]*)', section, re.M)))


def run_app(app, env, ready='true'):
    # The app runs on a private session bus and, once `ready` (a shell
    # condition) holds, is asked to quit the way the shell would, so that a
    # clean exit proves it started and did its work.
    script = '''
"$1" &
pid=$!
for i in $(seq 1 60); do
  if sh -c "$4" && gdbus call --session --dest "$2" --object-path "$3" \
       --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null 2>&1; then
    wait $pid
    exit $?
  fi
  if ! kill -0 $pid 2>/dev/null; then
    wait $pid
    echo "the app exited before it was ready" >&2
    exit 1
  fi
  sleep 0.5
done
kill $pid
echo "the app was not ready in 30 seconds" >&2
exit 1
'''
    object_path = '/' + app_id.replace('.', '/')
    # Output goes to a file: a daemon started on the private bus could keep
    # a pipe open after the app is gone.
    with tempfile.TemporaryFile(mode='w+') as output:
        result = subprocess.run(['dbus-run-session', '--', 'sh', '-c', script, 'sh', app, app_id, object_path, ready],
                                stdout=output, stderr=subprocess.STDOUT, text=True, timeout=90,
                                env=dict(env, NO_AT_BRIDGE='1', GTK_A11Y='none'))
        output.seek(0)
        result.stderr = output.read()
    return result


def read_keyfile(path):
    keyfile = configparser.RawConfigParser(interpolation=None, strict=False)
    keyfile.optionxform = str
    keyfile.read(path, encoding='utf-8')
    section = '/'.join(app_id.split('.'))
    return keyfile[section] if keyfile.has_section(section) else {}


def check_app_runs(app, server, env, home):
    # GSettings in a key file, as a user's dconf would keep them.
    env = dict(env, GSETTINGS_BACKEND='keyfile')
    keyfile = os.path.join(home, 'config', 'glib-2.0', 'settings', 'keyfile')

    # A first launch: the embedded server, its data under XDG_DATA_HOME.
    data = os.path.join(home, 'data', 'async-actions', 'server.json')
    result = run_app(app, env, ready=f'test -s "{data}"')
    check(result.returncode == 0,
          'the installed app starts with its embedded server and quits cleanly' +
          ('' if result.returncode == 0 else ': ' + result.stderr.strip()))
    check(os.path.isfile(data), 'the embedded server keeps its data under XDG_DATA_HOME')
    saved = read_keyfile(keyfile)
    check(all(k in saved for k in ('window-width', 'window-height', 'window-maximized', 'last-page')),
          'the app saved its window state on quit: ' + ', '.join(sorted(saved)))

    # The server URL of Preferences, used instead of the embedded server.
    log = os.path.join(home, 'server.log')
    with open(log, 'w') as stderr:
        proc = subprocess.Popen([server, '--port', '0', '--verbose', '--no-auth', '--data', os.path.join(home, 'other.json')],
                                stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        url = proc.stdout.readline().strip()
        os.makedirs(os.path.dirname(keyfile), exist_ok=True)
        with open(keyfile, 'a', encoding='utf-8') as f:
            f.write(f"\n[{'/'.join(app_id.split('.'))}]\nserver-url='{url}'\n")
        os.remove(data)
        result = run_app(app, env, ready=f'grep -q "GET /items" "{log}"')
        proc.terminate()
        proc.wait(timeout=10)
    check(result.returncode == 0, 'the installed app loads the notes from the server URL of Preferences' +
          ('' if result.returncode == 0 else ': ' + result.stderr.strip()))
    check(not os.path.exists(data), 'with a server URL set, the app starts no embedded server')


def check_server_runs(server, env, tmp):
    proc = subprocess.Popen([server, '--port', '0', '--data', os.path.join(tmp, 'server.json')],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # The first line: the URL, then the token the server made.
    url, _, token = proc.stdout.readline().strip().partition(' ')
    check(re.fullmatch(r'http://127\.0\.0\.1:\d+/api/v1', url) is not None,
          f'the installed server prints its URL ({url})')
    check(re.fullmatch(r'[0-9a-f]{64}', token) is not None, 'the installed server prints the token it made')
    # A served request also means its SIGTERM handler is in place.
    try:
        request = urllib.request.Request(url + '/items', headers={'Authorization': 'Bearer ' + token})
        with urllib.request.urlopen(request, timeout=10) as response:
            items = json.load(response)
        check(isinstance(items, (list, dict)) and len(items) > 0, 'the installed server serves the demo notes')
    except (OSError, ValueError) as e:
        check(False, f'the installed server serves the demo notes: {e}')
    proc.terminate()
    try:
        code = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    check(code == 0, 'the installed server stops cleanly on SIGTERM')
    check(os.path.isfile(os.path.join(tmp, 'server.json')), 'the installed server wrote its data file')


(meson, builddir, srcroot, prefix, bindir, datadir, mandir, localedir, app_id) = sys.argv[1:10]

with tempfile.TemporaryDirectory(prefix='aa-install-') as destdir:
    result = run([meson, 'install', '-C', builddir, '--no-rebuild', '--quiet', '--destdir', destdir])
    if not check(result.returncode == 0, 'meson install --destdir'):
        print(result.stdout + result.stderr)
        sys.exit(1)

    root = destdir + prefix

    def installed(*parts):
        return os.path.join(root, *parts)

    app = installed(bindir, 'async-actions')
    server = installed(bindir, 'async-actions-server')
    desktop = installed(datadir, 'applications', app_id + '.desktop')
    metainfo = installed(datadir, 'metainfo', app_id + '.metainfo.xml')
    schema = installed(datadir, 'glib-2.0', 'schemas', app_id + '.gschema.xml')
    icon = installed(datadir, 'icons', 'hicolor', 'scalable', 'apps', app_id + '.svg')
    symbolic = installed(datadir, 'icons', 'hicolor', 'symbolic', 'apps', app_id + '-symbolic.svg')

    for path in (app, server):
        check(os.access(path, os.X_OK), 'installed and executable: ' + os.path.relpath(path, root))
    for path in (desktop, metainfo, schema, icon, symbolic):
        check(os.path.isfile(path), 'installed: ' + os.path.relpath(path, root))

    # What the launcher reads.
    entry = configparser.RawConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(desktop, encoding='utf-8')
    exec_line = entry.get('Desktop Entry', 'Exec', fallback='')
    check(exec_line.split()[0:1] == ['async-actions'], 'the desktop file runs async-actions from PATH')
    check(entry.get('Desktop Entry', 'Icon', fallback='') == app_id, 'the desktop file names the app icon')
    check(entry.has_option('Desktop Entry', 'Name[de]') and entry.has_option('Desktop Entry', 'Name[fr]')
          or entry.has_option('Desktop Entry', 'Comment[de]') and entry.has_option('Desktop Entry', 'Comment[fr]'),
          'the desktop file is translated into German and French')
    result = run(['desktop-file-validate', desktop])
    check(result.returncode == 0, 'desktop-file-validate on the installed file ' + result.stdout.strip())

    # What a software centre reads.
    component = ET.parse(metainfo).getroot()
    launchable = component.find('launchable')
    check(launchable is not None and launchable.text == app_id + '.desktop',
          'the metainfo launches the installed desktop file')
    check(component.findtext('id') == app_id, 'the metainfo id is the app id')
    check(len(component.findall('screenshots/screenshot')) >= 3, 'the metainfo has screenshots')
    check(component.find('content_rating') is not None, 'the metainfo has a content rating')
    check(component.find('releases/release') is not None, 'the metainfo has releases')
    check(any(e.get('{http://www.w3.org/XML/1998/namespace}lang') == 'de' for e in component.iter('summary')),
          'the metainfo summary is translated into German')
    result = run(['appstreamcli', 'validate', '--no-net', metainfo])
    check(result.returncode == 0, 'appstreamcli validate on the installed file')

    # The schema as the system will compile it.
    schemadir = tempfile.mkdtemp(dir=destdir)
    shutil.copy(schema, schemadir)
    result = run(['glib-compile-schemas', '--strict', schemadir])
    check(result.returncode == 0, 'the installed schema compiles: ' + result.stderr.strip())
    result = run(['gsettings', '--schemadir', schemadir, 'list-keys', app_id])
    keys = set(result.stdout.split())
    expected_keys = {'window-width', 'window-height', 'window-maximized', 'last-page', 'server-url', 'token', 'toast-timeout'}
    check(expected_keys <= keys, 'the schema has every key: ' + ', '.join(sorted(expected_keys - keys)))

    # Translations for every language in LINGUAS.
    with open(os.path.join(srcroot, 'po', 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f for w in line.split('#')[0].split()]
    check({'de', 'fr'} <= set(languages), 'po/LINGUAS has German and French')
    for lang in languages:
        mo = installed(localedir, lang, 'LC_MESSAGES', 'async-actions.mo')
        check(os.path.isfile(mo), 'installed: ' + os.path.relpath(mo, root))

    # Each option of --help documented in the man page, and the reverse.
    for binary in (app, server):
        name = os.path.basename(binary)
        page = installed(mandir, 'man1', name + '.1')
        if not check(os.path.isfile(page), 'installed: ' + os.path.relpath(page, root)):
            continue
        with open(page, encoding='utf-8') as f:
            man = f.read().replace('\\-', '-')
        result = run([binary, '--help'], env=dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE=''))
        options = help_options(result.stdout)
        check(result.returncode == 0 and '--version' in options, f'{name} --help runs and lists --version')
        for option in options:
            check(option in man, f'the man page of {name} documents {option}')
        for option in sorted(set(re.findall(r'^\.B[IR]? (--[a-z][a-z-]*)', man, re.M))):
            check(option in options or option in ('--help', '--help-all', '--help-gapplication'), f'{name} --help lists {option} from its man page')
        result = run([binary, '--version'])
        check(result.returncode == 0 and re.search(r'\d+\.\d+\.\d+', result.stdout) is not None,
              f'{name} --version prints the version')

    # The installed binaries run from the prefix, with data in a fresh XDG home.
    home = tempfile.mkdtemp(dir=destdir)
    env = dict(os.environ,
               XDG_DATA_HOME=os.path.join(home, 'data'),
               XDG_CONFIG_HOME=os.path.join(home, 'config'),
               XDG_CACHE_HOME=os.path.join(home, 'cache'),
               GSETTINGS_SCHEMA_DIR=schemadir,
               GSETTINGS_BACKEND='memory')
    check_server_runs(server, env, home)
    if os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'):
        env['XDG_DATA_DIRS'] = installed(datadir) + ':' + os.environ.get('XDG_DATA_DIRS', '/usr/local/share:/usr/share')
        check_app_runs(app, server, env, home)
    else:
        print('# no display: the GUI start-up check runs under build-aux/run-tests (build-aux/with-display)')

if failures:
    print(f'{len(failures)} check(s) failed')
    sys.exit(1)
