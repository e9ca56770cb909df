#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# The to-do pattern from Python, headless, against the demo server: a list,
# an optimistic toggle that rolls back on failure and is retried with the
# same idempotency key, and a delete with Undo. The server's own request log
# (GET /_control/stats) is the proof. The same program is todo.c and todo.js.
#
#   todo.py [--plain] [SERVER_BINARY]
#
# --plain (or AA_EXAMPLE_PLAIN=1) starts the server with
# --ignore-idempotency-keys, a plain backend, and declares no
# IDEMPOTENCY_KEYS: the toggle (a PATCH that sets fields) and the delete are
# still retried and undone, and a restore (a POST that re-creates the
# deleted to-do) whose answer is lost is never sent again and offers no
# Retry. The delete is declared as a backend without a Trash needs it.
#
# From a build tree: GI_TYPELIB_PATH=_build/src/engine
# LD_LIBRARY_PATH=_build/src/engine (meson test sets both).
import json
import os
import subprocess
import sys
import tempfile

import gi
gi.require_version('AsyncActions', '1')
gi.require_version('Json', '1.0')
from gi.repository import AsyncActions, GLib, Json

Flags = AsyncActions.OperationFlags
State = AsyncActions.MutationState


# [operations]
def declare_operations():
    """A toggle that PATCHes {"done": …} (applied at once, undone with the
    value from before: the defaults of an operation that sets fields), and a
    delete that removes the to-do from the list at once, for a backend
    without a Trash: its Undo re-creates it from what the server last
    confirmed, with a POST to the collection ("Restored “…”")."""
    toast_retry = AsyncActions.Rule()
    toast_retry.failure = AsyncActions.FeedbackTier.TOAST
    toast_retry.failure_action = AsyncActions.FeedbackAction.RETRY
    toggle = AsyncActions.Operation(name='toggle', method='PATCH', path='/items/{id}',
                                    flags=Flags.SETS_FIELDS | Flags.UNDOABLE, rule=toast_retry)
    recreate = AsyncActions.Operation(name='recreate', method='POST', path='/items', flags=Flags.CREATES,
                                      fields=['title', 'notes', 'starred', 'done'], rule=toast_retry)
    delete = AsyncActions.Operation(name='delete', method='DELETE', path='/items/{id}',
                                    flags=Flags.REMOVES | Flags.UNDOABLE, undo=recreate, rule=toast_retry)
    return toggle, delete
# [operations]


def fields(**values):
    patch = Json.Object()
    for name, value in values.items():
        patch.set_boolean_member(name, value)
    return patch


# [wait]
def settle(mutation):
    """Runs the main loop until @mutation is no longer pending."""
    loop = GLib.MainLoop()
    mutation.wait_async(None, lambda m, result: (m.wait_finish(result), loop.quit()))
    loop.run()
    return mutation.get_state()
# [wait]


def until_unknown(mutation):
    """Runs the main loop until @mutation's outcome is unknown (it stays
    pending: nothing here can resolve it), then one second more, in which a
    resend would reach the server's log."""
    loop = GLib.MainLoop()
    handler = mutation.connect('notify::state',
                               lambda m, _: m.get_state() == State.UNKNOWN and loop.quit())
    if mutation.get_state() != State.UNKNOWN:
        loop.run()
    mutation.disconnect(handler)
    GLib.timeout_add(1000, loop.quit)
    loop.run()
    return mutation.get_state()


def refresh(store, path):
    loop = GLib.MainLoop()
    store.refresh_async(path, None, lambda s, result: (s.refresh_finish(result), loop.quit()))
    loop.run()


def request(client, method, path, body=None):
    """A plain request (the demo server's controls are not mutations)."""
    loop = GLib.MainLoop()
    answer = {}
    node = Json.from_string(json.dumps(body)) if body is not None else None
    key = AsyncActions.RestClient.new_idempotency_key() if method != 'GET' else None

    def done(c, result):
        answer['node'] = c.request_finish(result)[0]
        loop.quit()
    client.request_async(method, path, node, key, -1, None, done)
    loop.run()
    return json.loads(Json.to_string(answer['node'], False))


checks = []


def check(condition, message):
    checks.append(message)
    print(('ok ' if condition else 'not ok ') + f'{len(checks)} - {message}')
    if not condition:
        print(f'1..{len(checks)}')
        sys.exit(1)


def run(url, token, plain):
    # [setup]
    client = AsyncActions.RestClient.new(url)
    client.set_token(token)
    # Declare only what your backend does: the demo server honours all three,
    # a plain backend (the demo server's --ignore-idempotency-keys) no keys.
    features = AsyncActions.BackendFeatures.IF_MATCH | AsyncActions.BackendFeatures.EVENT_STREAM
    if not plain:
        features |= AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS
    client.set_backend_features(features)
    engine = AsyncActions.Engine.new(client)
    todos = AsyncActions.ResourceStore.new(engine, AsyncActions.Resource)
    toggle, delete = declare_operations()
    feedback = []
    engine.connect('feedback', lambda e, f: feedback.append(f))
    # [setup]

    # The list.
    refresh(todos, '/items')
    for todo in todos:
        shown = todo.get_shown()
        print(f"# [{'x' if shown.get_boolean('done', False) else ' '}] {shown.get_string('title', '')}")
    check(len(todos) > 0, f'the list has {len(todos)} to-dos')
    todo = next(t for t in todos if not t.get_shown().get_boolean('done', False))
    title = todo.get_shown().get_string('title', None)

    def done():
        return todo.get_shown().get_boolean('done', False)

    # [toggle]
    # Optimistic: shown at once, then confirmed by the server.
    mutation = engine.run(AsyncActions.Mutation.new(toggle, todo, title, fields(done=True)))
    check(done(), 'the toggle shows before the server answers')
    check(settle(mutation) == State.SUCCEEDED, 'the server confirmed it')
    # [toggle]

    # [retry]
    # The server fails the next request: the toggle rolls back, with Retry.
    request(client, 'PUT', '/_control/faults', {'next': ['error-500']})
    mutation = engine.run(AsyncActions.Mutation.new(toggle, todo, title, fields(done=False)))
    check(settle(mutation) == State.ROLLED_BACK and done(), 'a failure rolls back to what the server has')
    check(feedback[-1].get_action() == AsyncActions.FeedbackAction.RETRY,
          f'the failure offers Retry: {feedback[-1].get_title()}')

    # Retry: the same mutation, sent again with the same idempotency key.
    key = mutation.get_idempotency_key()
    check(engine.retry(mutation), 'retry sends it again')
    check(settle(mutation) == State.SUCCEEDED and not done(), 'the retry succeeded')
    check(mutation.get_idempotency_key() == key and mutation.get_attempts() == 2, 'with the same key, twice')
    # [retry]

    # [delete]
    # Delete: gone from the list at once; Undo is a real request (a re-create).
    deletion = engine.run(AsyncActions.Mutation.new(delete, todo, title, None))
    check(not todos.contains(todo), 'the delete shows at once: the to-do left the list')
    check(settle(deletion) == State.SUCCEEDED, 'the server deleted it')
    check(engine.can_undo(deletion), 'the delete can be undone')
    undo = engine.undo(deletion)
    check(todos.contains(todo), 'undo shows it again at once')
    check(settle(undo) == State.SUCCEEDED and deletion.get_state() == State.UNDONE,
          f'the server has it again: {undo.get_label()}')
    # [delete]

    # A lost answer: the server restores the to-do, but its answer never
    # arrives. With keys, the restore (a POST) is sent again with its key and
    # the first answer replayed; without, it may have been applied, so it is
    # never sent again, offers no Retry and says so.
    deletion = engine.run(AsyncActions.Mutation.new(delete, todo, title, None))
    check(settle(deletion) == State.SUCCEEDED, 'deleted again')
    request(client, 'PUT', '/_control/faults', {'next': ['lost-response']})
    undo = engine.undo(deletion)
    if plain:
        check(until_unknown(undo) == State.UNKNOWN and undo.get_attempts() == 1,
              f'a restore whose answer is lost is not sent again: {undo.get_message()}')
        check(not engine.retry(undo), 'it offers no Retry')
        check('restored. Reload to see whether it was' in (undo.get_message() or ''),
              'its message says it may be restored, and to reload')
    else:
        check(settle(undo) == State.SUCCEEDED and undo.get_attempts() == 2 and undo.get_replayed(),
              'a restore whose answer is lost is sent again with its key and replayed')

    # The server's request log: every write, the failed one and its retry,
    # the lost restore (status 0: no answer left the server) and, with keys
    # only, its resend.
    log = ', '.join(f"{r['method']} {r['status']}" for r in request(client, 'GET', '/_control/stats')['requests']
                    if r['method'] != 'GET' and not r['path'].startswith('/_control'))
    check(log == 'PATCH 200, PATCH 500, PATCH 200, DELETE 200, POST 201, DELETE 200, POST 0' +
          ('' if plain else ', POST 201'),
          f"the server saw toggle, failed toggle, its retry, delete, restore, delete, lost restore{'' if plain else ', its resend'}: {log}")
    check(any(item['title'] == title for item in request(client, 'GET', '/items')),
          'the to-do is back in the list on the server')


def main():
    args = [a for a in sys.argv[1:] if a != '--plain']
    plain = '--plain' in sys.argv[1:] or os.environ.get('AA_EXAMPLE_PLAIN') == '1'
    server = args[0] if args else 'async-actions-server'
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([server, '--port', '0', '--data', os.path.join(tmp, 'todos.json')] +
                                (['--ignore-idempotency-keys'] if plain else []),
                                stdout=subprocess.PIPE, text=True)
        try:
            # The first line is the URL and the token the server made up.
            run(*proc.stdout.readline().split(), plain)
            print(f'1..{len(checks)}')
        finally:
            proc.terminate()
            proc.wait()


if __name__ == '__main__':
    main()
