// SPDX-FileCopyrightText: 2026 The Async Actions authors
// SPDX-License-Identifier: LGPL-2.1-or-later

// Every virtual method of the library's public classes can be overridden
// from GJS (vfunc_*): each one listed in the GIR is overridden here and must
// be called by the engine, against the demo server.
//
//   gjs test-vfuncs.js SERVER_BINARY GIR
imports.gi.versions.AsyncActions = '1';
imports.gi.versions.Json = '1.0';
const {AsyncActions, Gio, GLib, GObject, Json} = imports.gi;

const called = new Set();
let nChecks = 0;
function check(condition, message) {
    nChecks++;
    print(`${condition ? 'ok' : 'not ok'} ${nChecks} - ${message}`);
}

const Note = GObject.registerClass(
class Note extends AsyncActions.Resource {
    vfunc_normalize(serverObject) {
        called.add('Resource.normalize');
        const state = super.vfunc_normalize(serverObject);
        state.set_boolean_member('normalized', true);
        return state;
    }

    vfunc_render(previous, state) {
        called.add('Resource.render');
    }
});

const Star = GObject.registerClass(
class Star extends AsyncActions.Operation {
    vfunc_build_request(mutation) {
        called.add('Operation.build_request');
        const path = AsyncActions.path_build('items', mutation.get_target().get_id(), null);
        return AsyncActions.Request.new('PATCH', path, Json.Node.alloc().init_object(mutation.get_patch()), -1);
    }

    vfunc_apply(mutation, state) {
        called.add('Operation.apply');
        super.vfunc_apply(mutation, state);
    }

    vfunc_confirm(mutation, answer) {
        called.add('Operation.confirm');
        return super.vfunc_confirm(mutation, answer);
    }

    vfunc_make_undo(mutation) {
        called.add('Operation.make_undo');
        return super.vfunc_make_undo(mutation);
    }

    vfunc_format_label(mutation) {
        called.add('Operation.format_label');
        return `Star “${mutation.get_subject()}”`;
    }

    vfunc_format_success(mutation) {
        called.add('Operation.format_success');
        return `Starred “${mutation.get_subject()}”`;
    }

    vfunc_format_failure(mutation, error) {
        called.add('Operation.format_failure');
        return `Couldn’t star “${mutation.get_subject()}”`;
    }

    vfunc_is_input_error(mutation, error) {
        called.add('Operation.is_input_error');
        return super.vfunc_is_input_error(mutation, error);
    }

    vfunc_build_check(mutation) {
        called.add('Operation.build_check');
        const path = AsyncActions.path_build('items', mutation.get_target().get_id(), null);
        return AsyncActions.Request.new('GET', path, null, -1);
    }

    vfunc_interpret_check(mutation, answer) {
        called.add('Operation.interpret_check');
        const starred = answer.get_object().get_boolean_member_with_default('starred', false);
        return starred === mutation.get_patch().get_boolean_member('starred')
            ? AsyncActions.CheckResult.APPLIED : AsyncActions.CheckResult.NOT_APPLIED;
    }

    vfunc_format_unknown(mutation) {
        called.add('Operation.format_unknown');
        return `Star “${mutation.get_subject()}”: not confirmed yet`;
    }

    vfunc_format_waiting(mutation) {
        called.add('Operation.format_waiting');
        return `Star “${mutation.get_subject()}”: waiting for the server`;
    }
});

function settle(mutation) {
    const loop = new GLib.MainLoop(null, false);
    mutation.wait_async(null, (m, result) => {
        m.wait_finish(result);
        loop.quit();
    });
    loop.run();
    return mutation.get_state();
}

function control(client, method, path, body) {
    const loop = new GLib.MainLoop(null, false);
    client.request_async(method, path, Json.from_string(JSON.stringify(body)),
        AsyncActions.RestClient.new_idempotency_key(), -1, null, (c, r) => {
            c.request_finish(r);
            loop.quit();
        });
    loop.run();
}

function girVfuncs(path) {
    // <class name="X" ...> ... <virtual-method name="y" ...>: a small reader.
    const [, bytes] = GLib.file_get_contents(path);
    const text = new TextDecoder().decode(bytes);
    const vfuncs = [];
    let cls = null;
    for (const match of text.matchAll(/<(class|virtual-method) name="([^"]+)"|<\/class>/g)) {
        if (match[0] === '</class>')
            cls = null;
        else if (match[1] === 'class')
            cls = match[2];
        else if (cls !== null)
            vfuncs.push(`${cls}.${match[2]}`);
    }
    return vfuncs.sort();
}

function run(gir, url, token) {
    const client = AsyncActions.RestClient.new(url);
    client.set_token(token);
    // The demo server honours all three; declare only what your backend does.
    client.set_backend_features(AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS |
        AsyncActions.BackendFeatures.IF_MATCH |
        AsyncActions.BackendFeatures.EVENT_STREAM);
    const engine = AsyncActions.Engine.new(client);
    const notes = AsyncActions.ResourceStore.new(engine, Note.$gtype);
    const star = new Star({name: 'star', flags: AsyncActions.OperationFlags.SETS_FIELDS | AsyncActions.OperationFlags.UNDOABLE});
    const rule = AsyncActions.Rule.new();
    rule.success = AsyncActions.FeedbackTier.TOAST;
    rule.failure = AsyncActions.FeedbackTier.TOAST;
    star.set_rule(rule);

    const loop = new GLib.MainLoop(null, false);
    notes.refresh_full_async('/items', null, null, (s, r) => {
        s.refresh_finish(r);
        loop.quit();
    });
    loop.run();
    const note = notes.get_item(0);
    check(note.get_shown().get_boolean('normalized', false), 'a store reads its list through vfunc_normalize');

    // reload_async(): one note read again, edited elsewhere, through
    // vfunc_normalize.
    const path = AsyncActions.path_build('items', note.get_id(), null);
    control(client, 'PATCH', path, {notes: 'Edited elsewhere'});
    let reloaded = null;
    notes.reload_async(note, path, null, (s, r) => {
        reloaded = s.reload_finish(r);
        loop.quit();
    });
    loop.run();
    check(reloaded === note && note.get_confirmed().get_string('notes', null) === 'Edited elsewhere' &&
        note.get_confirmed().get_boolean('normalized', false), 'reload_async() merges one note from GJS');

    const title = note.get_shown().get_string('title', null);
    const patch = new Json.Object();
    patch.set_boolean_member('starred', !note.get_shown().get_boolean('starred', false));
    const mutation = AsyncActions.Mutation.new(star, note, title, patch);
    engine.run(mutation);
    check(settle(mutation) === AsyncActions.MutationState.SUCCEEDED, 'a mutation of a GJS operation succeeds');
    const undo = engine.undo(mutation);
    check(undo !== null && settle(undo) === AsyncActions.MutationState.SUCCEEDED, 'and is undone');

    control(client, 'PUT', '/_control/faults', {next: ['error-500']});
    const failed = AsyncActions.Mutation.new(star, note, title, patch);
    engine.run(failed);
    check(settle(failed) === AsyncActions.MutationState.ROLLED_BACK, 'a failed one rolls back');
    check((failed.get_message() || '').startsWith('Couldn’t star'),
        `with the message of vfunc_format_failure: ${failed.get_message()}`);

    // An answer lost after the server applied it: unknown, never failed, and
    // the operation's own check finds out; the words are vfunc_format_unknown's.
    control(client, 'PUT', '/_control/faults', {next: ['lost-response']});
    engine.get_connectivity().set_backoff(20, 200);
    const lost = AsyncActions.Mutation.new(star, note, title, patch);
    engine.run(lost);
    const context = GLib.MainContext.default();
    while (![AsyncActions.MutationState.UNKNOWN, AsyncActions.MutationState.SUCCEEDED].includes(lost.get_state()))
        context.iteration(true);
    check(lost.get_state() === AsyncActions.MutationState.UNKNOWN && (lost.get_message() || '').endsWith('not confirmed yet'),
        `a lost answer is unknown, in the words of vfunc_format_unknown: ${lost.get_message()}`);
    check(settle(lost) === AsyncActions.MutationState.SUCCEEDED && lost.get_attempts() === 1,
        'and the operation\'s check says it was applied, nothing sent again');

    // Offline: the change waits, in the words of vfunc_format_waiting, and is
    // sent once a probe finds the server back.
    const back = new Json.Object();
    back.set_boolean_member('starred', !patch.get_boolean_member('starred'));
    client.set_blocked(true);
    const waiting = AsyncActions.Mutation.new(star, note, title, back);
    engine.run(waiting);
    while (waiting.get_state() !== AsyncActions.MutationState.WAITING)
        context.iteration(true);
    check((waiting.get_message() || '').endsWith('waiting for the server') && engine.get_n_failed() === 0,
        `offline, a change waits, never failed: ${waiting.get_message()}`);
    client.set_blocked(false);
    check(settle(waiting) === AsyncActions.MutationState.SUCCEEDED, 'and is sent when the server is back');

    // Declared, not subclassed: the request from the method and path
    // template, the messages from templates ("{subject}" only: a subject is
    // never a format), and an undo's feedback from its own operation's rule.
    const Flags = AsyncActions.OperationFlags, Tier = AsyncActions.FeedbackTier;
    const quiet = new AsyncActions.Rule();
    quiet.success = Tier.INLINE;
    const unstar = new AsyncActions.Operation({name: 'unstar', method: 'PATCH', path: '/items/{id}',
        flags: Flags.SETS_FIELDS, rule: quiet, success: 'Unstarred “{subject}”'});
    const loud = new AsyncActions.Rule();
    loud.success = Tier.TOAST;
    loud.success_action = AsyncActions.FeedbackAction.UNDO;
    const declared = new AsyncActions.Operation({name: 'declared-star', method: 'PATCH', path: '/items/{id}',
        flags: Flags.SETS_FIELDS | Flags.UNDOABLE, rule: loud, success: 'Starred “{subject}”', undo: unstar});
    check(declared.rule.success === Tier.TOAST && declared.get_undo() === unstar &&
        declared.get_method() === 'PATCH' && declared.get_path() === '/items/{id}',
        'an operation is declared from GJS by its properties');
    const feedback = [];
    const handler = engine.connect('feedback', (e, f) => feedback.push(f));
    const flip = new Json.Object();
    flip.set_boolean_member('starred', !note.get_shown().get_boolean('starred', false));
    const declaredMutation = AsyncActions.Mutation.new(declared, note, '100%s {subject}', flip);
    engine.run(declaredMutation);
    check(settle(declaredMutation) === AsyncActions.MutationState.SUCCEEDED &&
        feedback.at(-1).get_title() === 'Starred “100%s {subject}”' &&
        feedback.at(-1).get_action() === AsyncActions.FeedbackAction.UNDO,
        `its request is declared, its success worded by its template: ${feedback.at(-1).get_title()}`);
    const declaredUndo = engine.undo(declaredMutation);
    check(declaredUndo.get_operation() === unstar && settle(declaredUndo) === AsyncActions.MutationState.SUCCEEDED,
        'its undo is a mutation of its undo operation, with the values from before');
    check(feedback.at(-1).get_mutation() === declaredUndo && feedback.at(-1).get_tier() === Tier.INLINE &&
        feedback.at(-1).get_action() === AsyncActions.FeedbackAction.NONE &&
        feedback.at(-1).get_title() === 'Unstarred “100%s {subject}”',
        `the undo's feedback follows the undo operation's own rule: ${feedback.at(-1).get_title()}`);
    engine.disconnect(handler);

    for (const vfunc of girVfuncs(gir))
        check(called.has(vfunc), `${vfunc} is overridden from GJS (vfunc_${vfunc.split('.')[1]}) and called`);
}

const dir = GLib.dir_make_tmp('vfuncs-XXXXXX');
const proc = Gio.Subprocess.new([ARGV[0], '--port', '0', '--data', GLib.build_filenamev([dir, 'notes.json'])],
    Gio.SubprocessFlags.STDOUT_PIPE);
try {
    const stdout = new Gio.DataInputStream({base_stream: proc.get_stdout_pipe()});
    const [line] = stdout.read_line_utf8(null);
    const [url, token] = line.trim().split(/\s+/);
    run(ARGV[1], url, token);
    print(`1..${nChecks}`);
} finally {
    proc.force_exit();
    proc.wait(null);
    GLib.spawn_command_line_sync(`rm -rf ${GLib.shell_quote(dir)}`);
}
