// SPDX-FileCopyrightText: 2026 The Async Actions authors
// SPDX-License-Identifier: LGPL-2.1-or-later

// The to-do pattern from GJS, headless, against the demo server: a list,
// an optimistic toggle that rolls back on failure and is retried with the
// same idempotency key, and a delete with Undo. The server's own request log
// (GET /_control/stats) is the proof. The same program is todo.c and todo.py.
//
//   gjs todo.js [--plain] [SERVER_BINARY]
//
// --plain (or AA_EXAMPLE_PLAIN=1) starts the server with
// --ignore-idempotency-keys, a plain backend, and declares no
// IDEMPOTENCY_KEYS: the toggle (a PATCH that sets fields) and the delete are
// still retried and undone, and a restore (a POST that re-creates the
// deleted to-do) whose answer is lost is never sent again and offers no
// Retry. The delete is declared as a backend without a Trash needs it.
//
// From a build tree: GI_TYPELIB_PATH=_build/src/engine
// LD_LIBRARY_PATH=_build/src/engine (meson test sets both).
imports.gi.versions.AsyncActions = '1';
imports.gi.versions.Json = '1.0';
const {AsyncActions, Gio, GLib, GObject, Json} = imports.gi;

const Flags = AsyncActions.OperationFlags;
const State = AsyncActions.MutationState;

function fields(values) {
    const patch = new Json.Object();
    for (const [name, value] of Object.entries(values))
        patch.set_boolean_member(name, value);
    return patch;
}

// [operations]
// A toggle that PATCHes {"done": …} (applied at once, undone with the value
// from before: the defaults of an operation that sets fields), and a delete
// that removes the to-do from the list at once, for a backend without a
// Trash: its Undo re-creates it from what the server last confirmed, with a
// POST to the collection ("Restored “…”").
function declareOperations() {
    const rule = new AsyncActions.Rule();
    rule.failure = AsyncActions.FeedbackTier.TOAST;
    rule.failure_action = AsyncActions.FeedbackAction.RETRY;
    const toggle = new AsyncActions.Operation({name: 'toggle', method: 'PATCH', path: '/items/{id}',
        flags: Flags.SETS_FIELDS | Flags.UNDOABLE, rule});
    const recreate = new AsyncActions.Operation({name: 'recreate', method: 'POST', path: '/items',
        flags: Flags.CREATES, fields: ['title', 'notes', 'starred', 'done'], rule});
    const del = new AsyncActions.Operation({name: 'delete', method: 'DELETE', path: '/items/{id}',
        flags: Flags.REMOVES | Flags.UNDOABLE, undo: recreate, rule});
    return [toggle, del];
}
// [operations]

// [wait]
// Runs the main loop until the mutation is no longer pending.
function settle(mutation) {
    const loop = new GLib.MainLoop(null, false);
    mutation.wait_async(null, (m, result) => {
        m.wait_finish(result);
        loop.quit();
    });
    loop.run();
    return mutation.get_state();
}
// [wait]

function refresh(store, path) {
    const loop = new GLib.MainLoop(null, false);
    store.refresh_async(path, null, (s, result) => {
        s.refresh_finish(result);
        loop.quit();
    });
    loop.run();
}

// A plain request (the demo server's controls are not mutations).
function request(client, method, path, body = null) {
    const loop = new GLib.MainLoop(null, false);
    const node = body !== null ? Json.from_string(JSON.stringify(body)) : null;
    const key = method !== 'GET' ? AsyncActions.RestClient.new_idempotency_key() : null;
    let answer = null;
    client.request_async(method, path, node, key, -1, null, (c, result) => {
        [answer] = c.request_finish(result);
        loop.quit();
    });
    loop.run();
    return JSON.parse(Json.to_string(answer, false));
}

let nChecks = 0;
function check(condition, message) {
    nChecks++;
    print(`${condition ? 'ok' : 'not ok'} ${nChecks} - ${message}`);
    if (!condition) {
        print(`1..${nChecks}`);
        throw new Error(message);
    }
}

// Runs the main loop until @mutation's outcome is unknown (it stays pending:
// nothing here can resolve it), then one second more, in which a resend
// would reach the server's log.
function untilUnknown(mutation) {
    const loop = new GLib.MainLoop(null, false);
    const handler = mutation.connect('notify::state', m => {
        if (m.get_state() === State.UNKNOWN)
            loop.quit();
    });
    if (mutation.get_state() !== State.UNKNOWN)
        loop.run();
    mutation.disconnect(handler);
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1000, () => {
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    loop.run();
    return mutation.get_state();
}

function run(url, token, plain) {
    // [setup]
    const client = AsyncActions.RestClient.new(url);
    client.set_token(token);
    // Declare only what your backend does: the demo server honours all three,
    // a plain backend (the demo server's --ignore-idempotency-keys) no keys.
    let features = AsyncActions.BackendFeatures.IF_MATCH | AsyncActions.BackendFeatures.EVENT_STREAM;
    if (!plain)
        features |= AsyncActions.BackendFeatures.IDEMPOTENCY_KEYS;
    client.set_backend_features(features);
    const engine = AsyncActions.Engine.new(client);
    const todos = AsyncActions.ResourceStore.new(engine, AsyncActions.Resource.$gtype);
    const [toggle, del] = declareOperations();
    const feedback = [];
    engine.connect('feedback', (e, f) => feedback.push(f));
    // [setup]

    // The list.
    refresh(todos, '/items');
    const list = [];
    for (let i = 0; i < todos.get_n_items(); i++)
        list.push(todos.get_item(i));
    for (const t of list)
        print(`# [${t.get_shown().get_boolean('done', false) ? 'x' : ' '}] ${t.get_shown().get_string('title', '')}`);
    check(list.length > 0, `the list has ${list.length} to-dos`);
    const todo = list.find(t => !t.get_shown().get_boolean('done', false));
    const title = todo.get_shown().get_string('title', null);
    const done = () => todo.get_shown().get_boolean('done', false);

    // [toggle]
    // Optimistic: shown at once, then confirmed by the server.
    let mutation = engine.run(AsyncActions.Mutation.new(toggle, todo, title, fields({done: true})));
    check(done(), 'the toggle shows before the server answers');
    check(settle(mutation) === State.SUCCEEDED, 'the server confirmed it');
    // [toggle]

    // [retry]
    // The server fails the next request: the toggle rolls back, with Retry.
    request(client, 'PUT', '/_control/faults', {next: ['error-500']});
    mutation = engine.run(AsyncActions.Mutation.new(toggle, todo, title, fields({done: false})));
    check(settle(mutation) === State.ROLLED_BACK && done(), 'a failure rolls back to what the server has');
    const last = feedback[feedback.length - 1];
    check(last.get_action() === AsyncActions.FeedbackAction.RETRY, `the failure offers Retry: ${last.get_title()}`);

    // Retry: the same mutation, sent again with the same idempotency key.
    const key = mutation.get_idempotency_key();
    check(engine.retry(mutation), 'retry sends it again');
    check(settle(mutation) === State.SUCCEEDED && !done(), 'the retry succeeded');
    check(mutation.get_idempotency_key() === key && mutation.get_attempts() === 2, 'with the same key, twice');
    // [retry]

    // [delete]
    // Delete: gone from the list at once; Undo is a real request (a re-create).
    let deletion = engine.run(AsyncActions.Mutation.new(del, todo, title, null));
    check(!todos.contains(todo), 'the delete shows at once: the to-do left the list');
    check(settle(deletion) === State.SUCCEEDED, 'the server deleted it');
    check(engine.can_undo(deletion), 'the delete can be undone');
    let undo = engine.undo(deletion);
    check(todos.contains(todo), 'undo shows it again at once');
    check(settle(undo) === State.SUCCEEDED && deletion.get_state() === State.UNDONE,
        `the server has it again: ${undo.get_label()}`);
    // [delete]

    // A lost answer: the server restores the to-do, but its answer never
    // arrives. With keys, the restore (a POST) is sent again with its key and
    // the first answer replayed; without, it may have been applied, so it is
    // never sent again, offers no Retry and says so.
    deletion = engine.run(AsyncActions.Mutation.new(del, todo, title, null));
    check(settle(deletion) === State.SUCCEEDED, 'deleted again');
    request(client, 'PUT', '/_control/faults', {next: ['lost-response']});
    undo = engine.undo(deletion);
    if (plain) {
        check(untilUnknown(undo) === State.UNKNOWN && undo.get_attempts() === 1,
            `a restore whose answer is lost is not sent again: ${undo.get_message()}`);
        check(!engine.retry(undo), 'it offers no Retry');
        check((undo.get_message() ?? '').includes('restored. Reload to see whether it was'),
            'its message says it may be restored, and to reload');
    } else {
        check(settle(undo) === State.SUCCEEDED && undo.get_attempts() === 2 && undo.get_replayed(),
            'a restore whose answer is lost is sent again with its key and replayed');
    }

    // The server's request log: every write, the failed one and its retry,
    // the lost restore (status 0: no answer left the server) and, with keys
    // only, its resend.
    const log = request(client, 'GET', '/_control/stats').requests
        .filter(r => r.method !== 'GET' && !r.path.startsWith('/_control'))
        .map(r => `${r.method} ${r.status}`).join(', ');
    check(log === `PATCH 200, PATCH 500, PATCH 200, DELETE 200, POST 201, DELETE 200, POST 0${plain ? '' : ', POST 201'}`,
        `the server saw toggle, failed toggle, its retry, delete, restore, delete, lost restore${plain ? '' : ', its resend'}: ${log}`);
    check(request(client, 'GET', '/items').some(item => item.title === title),
        'the to-do is back in the list on the server');
}

function main(argv) {
    const args = argv.filter(a => a !== '--plain');
    const plain = argv.includes('--plain') || GLib.getenv('AA_EXAMPLE_PLAIN') === '1';
    const server = args.length > 0 ? args[0] : 'async-actions-server';
    const dir = GLib.dir_make_tmp('todo-XXXXXX');
    const proc = Gio.Subprocess.new([server, '--port', '0', '--data', GLib.build_filenamev([dir, 'todos.json']),
        ...plain ? ['--ignore-idempotency-keys'] : []], Gio.SubprocessFlags.STDOUT_PIPE);
    try {
        // The first line is the URL and the token the server made up.
        const stdout = new Gio.DataInputStream({base_stream: proc.get_stdout_pipe()});
        const [line] = stdout.read_line_utf8(null);
        const [url, token] = line.trim().split(/\s+/);
        run(url, token, plain);
        print(`1..${nChecks}`);
    } finally {
        proc.send_signal(15);
        proc.wait(null);
        GLib.spawn_command_line_sync(`rm -rf ${GLib.shell_quote(dir)}`);
    }
}

main(ARGV);
