#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Async Actions authors
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every virtual method of the library's public classes can be overridden
# from Python (do_*): each one listed in the GIR is overridden here and must
# be called by the engine, against the demo server. Also: a Resource that
# chains up keeps an id’s JSON type (4 stays 4), refresh_full_async()
# takes positional arguments, and reload_async() merges one note.
#
#   test-vfuncs.py SERVER_BINARY GIR
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import gi
gi.require_version('AsyncActions', '1')
gi.require_version('Json', '1.0')
from gi.repository import AsyncActions, GLib, Json

called = set()
checks = []


def check(condition, message):
    checks.append(message)
    print(('ok ' if condition else 'not ok ') + f'{len(checks)} - {message}')
    return condition


class Note(AsyncActions.Resource):
    def do_normalize(self, server_object):
        called.add(('Resource', 'normalize'))
        state = AsyncActions.Resource.do_normalize(self, server_object)
        state.set_boolean_member('normalized', True)
        return state

    def do_render(self, previous, state):
        called.add(('Resource', 'render'))


class Star(AsyncActions.Operation):
    def do_build_request(self, mutation):
        called.add(('Operation', 'build_request'))
        path = AsyncActions.path_build('items', mutation.get_target().get_id(), None)
        return AsyncActions.Request.new('PATCH', path, Json.Node.alloc().init_object(mutation.get_patch()), -1)

    def do_apply(self, mutation, state):
        called.add(('Operation', 'apply'))
        AsyncActions.Operation.do_apply(self, mutation, state)

    def do_confirm(self, mutation, answer):
        called.add(('Operation', 'confirm'))
        return AsyncActions.Operation.do_confirm(self, mutation, answer)

    def do_make_undo(self, mutation):
        called.add(('Operation', 'make_undo'))
        return AsyncActions.Operation.do_make_undo(self, mutation)

    def do_format_label(self, mutation):
        called.add(('Operation', 'format_label'))
        return f'Star “{mutation.get_subject()}”'

    def do_format_success(self, mutation):
        called.add(('Operation', 'format_success'))
        return f'Starred “{mutation.get_subject()}”'

    def do_format_failure(self, mutation, error):
        called.add(('Operation', 'format_failure'))
        return f'Couldn’t star “{mutation.get_subject()}”'

    def do_is_input_error(self, mutation, error):
        called.add(('Operation', 'is_input_error'))
        return AsyncActions.Operation.do_is_input_error(self, mutation, error)

    def do_build_check(self, mutation):
        called.add(('Operation', 'build_check'))
        path = AsyncActions.path_build('items', mutation.get_target().get_id(), None)
        return AsyncActions.Request.new('GET', path, None, -1)

    def do_interpret_check(self, mutation, answer):
        called.add(('Operation', 'interpret_check'))
        starred = answer.get_object().get_boolean_member_with_default('starred', False)
        if starred == mutation.get_patch().get_boolean_member('starred'):
            return AsyncActions.CheckResult.APPLIED
        return AsyncActions.CheckResult.NOT_APPLIED

    def do_format_unknown(self, mutation):
        called.add(('Operation', 'format_unknown'))
        return f'Star “{mutation.get_subject()}”: not confirmed yet'

    def do_format_waiting(self, mutation):
        called.add(('Operation', 'format_waiting'))
        return f'Star “{mutation.get_subject()}”: waiting for the server'


def settle(mutation):
    loop = GLib.MainLoop()
    mutation.wait_async(None, lambda m, r: (m.wait_finish(r), loop.quit()))
    loop.run()
    return mutation.get_state()


def control(client, method, path, body):
    loop = GLib.MainLoop()
    client.request_async(method, path, Json.from_string(json.dumps(body)),
                         AsyncActions.RestClient.new_idempotency_key(), -1, None,
                         lambda c, r: (c.request_finish(r), loop.quit()))
    loop.run()


def gir_vfuncs(path):
    """(class, vfunc) for every virtual method of the namespace's classes."""
    core = '{http://www.gtk.org/introspection/core/1.0}'
    return {(cls.get('name'), vfunc.get('name'))
            for cls in ET.parse(path).getroot().iter(core + 'class')
            for vfunc in cls.iter(core + 'virtual-method')}


def run(gir, url, token):
    client = AsyncActions.RestClient.new(url)
    client.set_token(token)
    # The demo server honours all three; declare only what your backend does.
    client.set_backend_features(AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS |
                                AsyncActions.BackendFeatures.IF_MATCH |
                                AsyncActions.BackendFeatures.EVENT_STREAM)
    engine = AsyncActions.Engine.new(client)
    notes = AsyncActions.ResourceStore.new(engine, Note)
    star = Star(name='star', flags=AsyncActions.OperationFlags.SETS_FIELDS | AsyncActions.OperationFlags.UNDOABLE)
    rule = AsyncActions.Rule.new()
    rule.success = AsyncActions.FeedbackTier.TOAST
    rule.failure = AsyncActions.FeedbackTier.TOAST
    star.set_rule(rule)

    loop = GLib.MainLoop()
    notes.refresh_async('/items', None, lambda s, r: (s.refresh_finish(r), loop.quit()))
    loop.run()
    note = notes.get_item(0)

    # refresh_full_async() from Python, positionally, with a filter.
    covered = []
    notes.refresh_full_async('/items', lambda resource, *data: covered.append(data) or True, ('all',), None,
                             lambda s, r: (covered.append(s.refresh_finish(r)), loop.quit()))
    loop.run()
    check(covered and covered[-1] is True, 'refresh_full_async() takes positional arguments from Python')
    check(note.get_shown().get_boolean('normalized', False), 'a store reads its list through do_normalize')

    # reload_async(): one note read again, edited elsewhere, through
    # do_normalize; a note the server no longer has comes back as None.
    path = AsyncActions.path_build('items', note.get_id(), None)
    control(client, 'PATCH', path, {'notes': 'Edited elsewhere'})
    reloaded = []
    notes.reload_async(note, path, None, lambda s, r: (reloaded.append(s.reload_finish(r)), loop.quit()))
    loop.run()
    check(reloaded == [note] and note.get_confirmed().get_string('notes', None) == 'Edited elsewhere' and
          note.get_confirmed().get_boolean('normalized', False), 'reload_async() merges one note from Python')
    last = notes.get_item(notes.get_n_items() - 1)
    last_path = AsyncActions.path_build('items', last.get_id(), None)
    control(client, 'DELETE', last_path, {})
    notes.reload_async(last, last_path, None, lambda s, r: (reloaded.append(s.reload_finish(r)), loop.quit()))
    loop.run()
    check(reloaded[-1] is None and not notes.contains(last), 'and a note gone from the server leaves')

    title = note.get_shown().get_string('title', None)
    patch = Json.Object()
    patch.set_boolean_member('starred', not note.get_shown().get_boolean('starred', False))
    mutation = engine.run(AsyncActions.Mutation.new(star, note, title, patch))
    check(settle(mutation) == AsyncActions.MutationState.SUCCEEDED, 'a mutation of a Python operation succeeds')
    undo = engine.undo(mutation)
    check(undo is not None and settle(undo) == AsyncActions.MutationState.SUCCEEDED, 'and is undone')

    control(client, 'PUT', '/_control/faults', {'next': ['error-500']})
    failed = engine.run(AsyncActions.Mutation.new(star, note, title, patch))
    check(settle(failed) == AsyncActions.MutationState.ROLLED_BACK, 'a failed one rolls back')
    check(failed.get_message() is not None and failed.get_message().startswith('Couldn’t star'),
          f'with the message of do_format_failure: {failed.get_message()}')

    # An answer lost after the server applied it: unknown, never failed,
    # and the operation's own check (do_build_check, do_interpret_check)
    # finds out; the words are do_format_unknown's.
    control(client, 'PUT', '/_control/faults', {'next': ['lost-response']})
    engine.get_connectivity().set_backoff(20, 200)
    lost = engine.run(AsyncActions.Mutation.new(star, note, title, patch))
    context = GLib.MainContext.default()
    while lost.get_state() not in (AsyncActions.MutationState.UNKNOWN, AsyncActions.MutationState.SUCCEEDED):
        context.iteration(True)
    check(lost.get_state() == AsyncActions.MutationState.UNKNOWN and lost.get_message().endswith('not confirmed yet'),
          f'a lost answer is unknown, in the words of do_format_unknown: {lost.get_message()}')
    check(settle(lost) == AsyncActions.MutationState.SUCCEEDED and lost.get_attempts() == 1,
          'and the operation\'s check says it was applied, nothing sent again')

    # Offline: the change waits, in the words of do_format_waiting, and is
    # sent once a probe finds the server back.
    back = Json.Object()
    back.set_boolean_member('starred', not patch.get_boolean_member('starred'))
    client.set_blocked(True)
    waiting = engine.run(AsyncActions.Mutation.new(star, note, title, back))
    while waiting.get_state() != AsyncActions.MutationState.WAITING:
        context.iteration(True)
    check(waiting.get_message().endswith('waiting for the server') and engine.get_n_failed() == 0,
          f'offline, a change waits, never failed: {waiting.get_message()}')
    client.set_blocked(False)
    check(settle(waiting) == AsyncActions.MutationState.SUCCEEDED, 'and is sent when the server is back')

    # Ids keep their JSON type when the base class reads them.
    server_object = Json.from_string('{"id": 4, "title": "Fix bike"}').get_object()
    state = AsyncActions.Resource().normalize(server_object)
    check(Json.to_string(Json.Node.alloc().init_object(state), False).startswith('{"id":4,'),
          'the base class keeps a numeric id a number')
    resource = AsyncActions.Resource.new_from_server(AsyncActions.Resource, server_object)
    check(resource.get_id() == '4', 'and the resource’s id property is its string')

    # Declared, not subclassed: the request from the method and path
    # template, the messages from templates ("{subject}" only: a subject is
    # never a format), and an undo's feedback from its own operation's rule.
    Flags, Tier = AsyncActions.OperationFlags, AsyncActions.FeedbackTier
    quiet = AsyncActions.Rule()
    quiet.success = Tier.INLINE
    unstar = AsyncActions.Operation(name='unstar', method='PATCH', path='/items/{id}', flags=Flags.SETS_FIELDS,
                                    rule=quiet, success='Unstarred “{subject}”')
    loud = AsyncActions.Rule()
    loud.success = Tier.TOAST
    loud.success_action = AsyncActions.FeedbackAction.UNDO
    declared = AsyncActions.Operation(name='declared-star', method='PATCH', path='/items/{id}',
                                      flags=Flags.SETS_FIELDS | Flags.UNDOABLE, rule=loud,
                                      success='Starred “{subject}”', undo=unstar)
    check(declared.props.rule.success == Tier.TOAST and declared.get_undo() == unstar and
          declared.get_method() == 'PATCH' and declared.get_path() == '/items/{id}',
          'an operation is declared from Python by its properties')
    feedback = []
    handler = engine.connect('feedback', lambda e, f: feedback.append(f))
    flip = Json.Object()
    flip.set_boolean_member('starred', not note.get_shown().get_boolean('starred', False))
    mutation = engine.run(AsyncActions.Mutation.new(declared, note, '100%s {subject}', flip))
    check(settle(mutation) == AsyncActions.MutationState.SUCCEEDED and
          feedback[-1].get_title() == 'Starred “100%s {subject}”' and
          feedback[-1].get_action() == AsyncActions.FeedbackAction.UNDO,
          f'its request is declared, its success worded by its template: {feedback[-1].get_title()}')
    undo = engine.undo(mutation)
    check(undo.get_operation() == unstar and settle(undo) == AsyncActions.MutationState.SUCCEEDED,
          'its undo is a mutation of its undo operation, with the values from before')
    check(feedback[-1].get_mutation() == undo and feedback[-1].get_tier() == Tier.INLINE and
          feedback[-1].get_action() == AsyncActions.FeedbackAction.NONE and
          feedback[-1].get_title() == 'Unstarred “100%s {subject}”',
          f'the undo\'s feedback follows the undo operation\'s own rule: {feedback[-1].get_title()}')
    engine.disconnect(handler)

    for cls, vfunc in sorted(gir_vfuncs(gir)):
        check((cls, vfunc) in called, f'{cls}.{vfunc} is overridden from Python (do_{vfunc}) and called')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([sys.argv[1], '--port', '0', '--data', os.path.join(tmp, 'notes.json')],
                                stdout=subprocess.PIPE, text=True)
        try:
            run(sys.argv[2], *proc.stdout.readline().split())
        finally:
            proc.terminate()
            proc.wait()
    print(f'1..{len(checks)}')


if __name__ == '__main__':
    main()
