/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include <async-actions.h>

G_BEGIN_DECLS

/*
 * A backend of bookmarks in the test's own process, for the tests of the
 * engine on a domain of its own (test-engine, test-engine-remote,
 * test-outcomes): GET /bookmarks (in pages with ?limit=N&after=ID, unless
 * plain), GET /bookmarks/{id}, POST /bookmarks, PATCH /bookmarks/{id} and
 * POST /bookmarks/{id}/approve. A change is applied once per idempotency
 * key, as a real server does; the answer can be lost after it is applied
 * (or the request dropped before), and the backend can go down for real:
 * its port stops listening, so requests are refused before anything is
 * written. Its log says which request applied a change.
 */

typedef enum {
  FAULT_NONE,
  FAULT_LOSE,  /* applied, then the connection closes without an answer */
  FAULT_DROP,  /* the connection closes before anything is applied */
  FAULT_BUSY,  /* 409: the same key is still in flight */
} Fault;

typedef struct {
  char     *method;
  char     *path;
  char     *query;
  char     *key;
  guint     status;
  gboolean  applied;   /* a change applied by this request */
  gboolean  replayed;  /* answered with what the first one with its key got */
} Logged;

typedef struct {
  SoupServer *server;
  guint16     port;
  char       *url;
  GPtrArray  *bookmarks;   /* JsonObject */
  GPtrArray  *log;         /* Logged */
  GHashTable *answers;     /* idempotency key -> the first answer (JsonNode) */
  GQueue      faults;      /* Fault, for the next mutations */
  GQueue      statuses;    /* one-shot failure statuses for the next mutations */
  GQueue      read_statuses; /* the same for the next reads of one bookmark */
  gboolean    holding;     /* mutations wait until released */
  GPtrArray  *held;        /* SoupServerMessage */
  guint       next_id;
  gboolean    plain;       /* GET ignores "limit" and "after" */
} Backend;

/* Starts with the bookmarks "1" GNOME, "2" GTK and "3" libsoup. */
Backend    *backend_start      (void);
void        backend_free       (Backend    *backend);
/* Listens again on the same port, after backend_down(). */
void        backend_up         (Backend    *backend);
void        backend_down       (Backend    *backend);
/* Answers the mutations held while holding, and holds no more. */
void        release            (Backend    *backend);
JsonObject *new_bookmark       (const char *id,
                                const char *title);
JsonObject *find_bookmark      (Backend    *backend,
                                const char *id);
guint       count_requests     (Backend    *backend,
                                const char *method);
guint       count_requests_to  (Backend    *backend,
                                const char *method,
                                const char *path);
/* How many changes of @path were applied. */
guint       count_applied      (Backend    *backend,
                                const char *path);
Logged     *last_request       (Backend    *backend);

G_END_DECLS
