/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-bookmarks-backend.h"

G_BEGIN_DECLS

/*
 * The engine on a domain of its own, bookmarks, for test-engine and
 * test-engine-remote: the backend of aa-bookmarks-backend.h and two
 * operations. Nothing of the app (notes, trash, invoices) is linked, which
 * proves the engine does not depend on it.
 */

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
