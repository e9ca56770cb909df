/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include <async-actions.h>

G_BEGIN_DECLS

/*
 * The engine on a domain of its own, bookmarks, for test-engine and
 * test-engine-remote: a tiny backend in the test's own process and two
 * operations. Nothing of the app (notes, trash, invoices) is linked, which
 * proves the engine does not depend on it.
 */

/* The backend: GET /bookmarks (in pages with ?limit=N&after=ID, unless
 * plain), GET /bookmarks/{id}, POST /bookmarks, PATCH /bookmarks/{id} */

typedef struct {
  char *method;
  char *path;
  char *query;
  char *key;
  guint status;
} Logged;

typedef struct {
  SoupServer *server;
  char       *url;
  GPtrArray  *bookmarks;   /* JsonObject */
  GPtrArray  *log;         /* Logged */
  GQueue      statuses;    /* one-shot failure statuses for the next mutations */
  GQueue      read_statuses; /* the same for the next reads of one bookmark */
  gboolean    holding;     /* mutations wait until released */
  GPtrArray  *held;        /* SoupServerMessage */
  guint       next_id;
  gboolean    plain;       /* GET ignores "limit" and "after" */
} Backend;

/* Sets fields of a bookmark: star, rename. Undo is the inverse patch. */
#define BM_TYPE_PATCH (bm_patch_get_type ())
G_DECLARE_FINAL_TYPE (BmPatch, bm_patch, BM, PATCH, AaOperation)

/* Adds a bookmark: POST /bookmarks, its target local until the answer. */
#define BM_TYPE_CREATE (bm_create_get_type ())
G_DECLARE_FINAL_TYPE (BmCreate, bm_create, BM, CREATE, AaOperation)

typedef struct {
  Backend         *backend;
  AaRestClient    *client;
  AaEngine        *engine;
  AaResourceStore *store;
  AaOperation     *patch;
  AaOperation     *create;
  GPtrArray       *feedback;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

void release (Backend *backend);
JsonObject *new_bookmark (const char *id,
              const char *title);
Backend *backend_start (void);
void backend_free (Backend *backend);
guint count_requests (Backend    *backend,
                const char *method);
Logged *last_request (Backend *backend);
void wait_until (Condition condition,
            gpointer  data);
gboolean holds_two (gpointer data);
gboolean settled (gpointer data);
gboolean refreshed (gpointer data);
void refresh (Fixture *f);
void fixture_setup (Fixture       *f,
               gconstpointer  data);
gboolean idle (gpointer data);
void fixture_teardown (Fixture       *f,
                  gconstpointer  data);
AaResource *bookmark (Fixture    *f,
          const char *id);
gboolean shown_boolean (AaResource *resource,
               const char *member);
const char *shown_string (AaResource *resource,
              const char *member);
AaMutation *set_member (Fixture    *f,
            AaResource *resource,
            const char *member,
            JsonNode   *value);
AaMutation *star (Fixture    *f,
      AaResource *resource,
      gboolean    starred);
AaMutation *rename_bookmark (Fixture    *f,
                 AaResource *resource,
                 const char *title);

G_END_DECLS
