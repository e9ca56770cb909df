#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# The engine from Python, headless, against the demo server: star a note,
# make the server fail once and retry with the same idempotency key, then
# undo; then keep a change in a journal while the server holds it, drop that
# engine as a crash would, and restore the change in a new one. The
# server's own request log (GET /_control/stats) is the proof.
#
#   star-retry-undo.py [SERVER_BINARY]
#
# With a build tree: GI_TYPELIB_PATH=_build/src/engine
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


class Star(AsyncActions.Operation):
    """Stars a note: PATCH /items/{id}. Applying the patch, reading the
    answer and undoing with the values from before are the defaults of a
    field-setting operation, so the request is all there is to say."""

    def do_build_request(self, mutation):
        path = AsyncActions.path_build('items', mutation.get_target().get_id(), None)
        body = Json.Node.alloc().init_object(mutation.get_patch())
        return AsyncActions.Request.new('PATCH', path, body, -1)

    def do_format_label(self, mutation):
        return f'Star “{mutation.get_subject()}”'


def wait(condition):
    context = GLib.MainContext.default()
    while not condition():
        context.iteration(True)


def request(client, method, path, body=None):
    """A plain request (the demo’s controls are not mutations)."""
    done = {}
    node = Json.from_string(json.dumps(body)) if body is not None else None
    key = AsyncActions.RestClient.new_idempotency_key() if method != 'GET' else None
    client.request_async(method, path, node, key, -1, None,
                         lambda c, result: done.setdefault('node', c.request_finish(result)[0]))
    wait(lambda: 'node' in done)
    return json.loads(Json.to_string(done['node'], False))


def patches(client):
    return [(r['method'], r['status']) for r in request(client, 'GET', '/_control/stats')['requests']
            if r['method'] == 'PATCH']


checks = []


def check(condition, message):
    checks.append(message)
    print(('ok ' if condition else 'not ok ') + f'{len(checks)} - {message}')
    if not condition:
        print(f'1..{len(checks)}')
        sys.exit(1)


def main():
    server = sys.argv[1] if len(sys.argv) > 1 else 'async-actions-server'
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([server, '--port', '0', '--data', os.path.join(tmp, 'notes.json')],
                                stdout=subprocess.PIPE, text=True)
        try:
            # The first line is the URL and the token it made up.
            url, token = proc.stdout.readline().split()
            run(url, token)
            restart(url, token, os.path.join(tmp, 'journal.sqlite'))
            print(f'1..{len(checks)}')
        finally:
            proc.terminate()
            proc.wait()


def patch(value):
    fields = Json.Object()
    fields.set_boolean_member('starred', value)
    return fields


def run(url, token):
    client = AsyncActions.RestClient.new(url)
    client.set_token(token)
    # The demo server honours all three; declare only what your backend does.
    client.set_backend_features(AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS |
                                AsyncActions.BackendFeatures.IF_MATCH |
                                AsyncActions.BackendFeatures.EVENT_STREAM)
    engine = AsyncActions.Engine.new(client)
    notes = AsyncActions.ResourceStore.new(engine, AsyncActions.Resource)
    star = Star(name='star', flags=AsyncActions.OperationFlags.SETS_FIELDS | AsyncActions.OperationFlags.UNDOABLE)
    feedback = []
    engine.connect('feedback', lambda e, f: feedback.append((f.get_title(), f.get_action())))

    loaded = []
    notes.refresh_async('/items', None, lambda s, r: loaded.append(s.refresh_finish(r)))
    wait(lambda: loaded)
    note = next(n for n in notes if not n.get_shown().get_boolean('starred', False))
    title = note.get_shown().get_string('title', None)
    print(f'# {len(notes)} notes; starring “{title}”')

    def starred():
        return note.get_shown().get_boolean('starred', False)

    # Toggle: shown at once (optimistic), then confirmed.
    mutation = engine.run(AsyncActions.Mutation.new(star, note, title, patch(True)))
    check(starred(), 'the star shows before the server answers')
    wait(lambda: not mutation.is_pending())
    check(mutation.get_state() == AsyncActions.MutationState.SUCCEEDED, 'the server confirmed it')

    # Fail: the next request gets a 500; the star rolls back, with Retry.
    request(client, 'PUT', '/_control/faults', {'next': ['error-500']})
    mutation = engine.run(AsyncActions.Mutation.new(star, note, title, patch(False)))
    wait(lambda: not mutation.is_pending())
    check(mutation.get_state() == AsyncActions.MutationState.ROLLED_BACK and starred(),
          'a failure rolls back to what the server has')
    check(feedback[-1][1] == AsyncActions.FeedbackAction.RETRY, f'the feedback offers Retry: {feedback[-1][0]}')

    # Retry: the same mutation, the same idempotency key, sent again.
    key = mutation.get_idempotency_key()
    check(engine.retry(mutation), 'retry sends it again')
    wait(lambda: not mutation.is_pending())
    check(mutation.get_state() == AsyncActions.MutationState.SUCCEEDED and not starred(), 'the retry succeeded')
    check(mutation.get_idempotency_key() == key and mutation.get_attempts() == 2, 'with the same key, twice')

    # Undo: a real request with the value from before.
    undo = engine.undo(mutation)
    check(starred(), 'undo shows the star again at once')
    wait(lambda: not undo.is_pending())
    check(mutation.get_state() == AsyncActions.MutationState.UNDONE, 'the unstar is undone on the server')

    # The server's request log: one PATCH each, the failed one and its retry.
    check(patches(client) == [('PATCH', 200), ('PATCH', 500), ('PATCH', 200), ('PATCH', 200)],
          f'the server saw star, failed unstar, its retry, undo: {patches(client)}')
    check(request(client, 'GET', f'/items/{note.get_id()}')['starred'], 'the note is starred on the server')


def open_engine(url, token, journal_path):
    """An engine with a journal, its operations registered by name, its
    notes loaded: what an app sets up at start."""
    client = AsyncActions.RestClient.new(url)
    client.set_token(token)
    client.set_backend_features(AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS |
                                AsyncActions.BackendFeatures.IF_MATCH |
                                AsyncActions.BackendFeatures.EVENT_STREAM)
    engine = AsyncActions.Engine.new(client)
    notes = AsyncActions.ResourceStore.new(engine, AsyncActions.Resource)
    star = Star(name='star', flags=AsyncActions.OperationFlags.SETS_FIELDS | AsyncActions.OperationFlags.UNDOABLE)
    journal = AsyncActions.Journal.open(journal_path, url, None)
    engine.set_journal(journal)
    engine.register_operation(star, notes)
    loaded = []
    notes.refresh_async('/items', None, lambda s, r: loaded.append(s.refresh_finish(r)))
    wait(lambda: loaded)
    return client, engine, notes, star, journal


def restart(url, token, journal_path):
    client, engine, notes, star, journal = open_engine(url, token, journal_path)
    note = next(n for n in notes if not n.get_shown().get_boolean('starred', False))
    title = note.get_shown().get_string('title', None)

    # The server sits on the next change: the star is on its way, unsettled.
    request(client, 'PUT', '/_control/faults', {'next': ['timeout'], 'timeout_hold_ms': 30000})
    mutation = engine.run(AsyncActions.Mutation.new(star, note, title, patch(True)))
    check(mutation.get_state() == AsyncActions.MutationState.SENT, 'a star on its way')
    journal.flush()
    entries = journal.list()
    check(len(entries) == 1 and entries[0].idempotency_key == mutation.get_idempotency_key()
          and entries[0].operation == 'star', 'the journal holds it, by its operation’s name and its key')
    key = mutation.get_idempotency_key()

    # The process dies: nothing of this engine is used again.
    engine.set_journal(None)
    del engine, notes, journal, mutation

    # Started again: the journal's star is shown and sent with its own key.
    client, engine, notes, star, journal = open_engine(url, token, journal_path)
    check(engine.restore() == 1, 'the restart restores one change')
    restored = next(m for m in engine.get_mutations() if m.get_idempotency_key() == key)
    note = notes.lookup(restored.get_target().get_id())
    check(note.get_shown().get_boolean('starred', False), 'shown again, pending, before the server answers')
    wait(lambda: not restored.is_pending())
    check(restored.get_state() == AsyncActions.MutationState.SUCCEEDED, 'and confirmed by the server')
    journal.flush()
    check(journal.get_n_entries() == 0 and len(journal.list()) == 0, 'settled, it left the journal')
    check(request(client, 'GET', f'/items/{note.get_id()}')['starred'], 'the note is starred on the server')


if __name__ == '__main__':
    main()
