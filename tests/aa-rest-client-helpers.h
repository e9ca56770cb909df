/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "aa-rest-client.h"
#include "aa-test-utils.h"

G_BEGIN_DECLS

/*
 * For test-rest-client and test-rest-client-json: requests run to
 * completion on the default main context, and two servers of the test's
 * own for what the real one never does.
 */

/* One request's result, filled in by result_cb() (its user data). */
typedef struct {
  gboolean  done;
  JsonNode *node;
  GError   *error;
  gboolean  replayed;
} Result;

void result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data);
/* An AaTestCondition: the request of a Result is done. */
gboolean result_done (gpointer user_data);

/* A tiny SoupServer inside the test, for answers the real server never
 * gives (malformed JSON, foreign shapes) and to see the headers we send. */

typedef struct {
  SoupServer *server;
  char       *url;
  char       *last_path;
  char       *last_method;
  char       *idempotency_key;
  char       *if_match;
  char       *authorization;
  char       *accept;
  char       *content_type;
  char       *user_agent;
  char       *body;
  guint       n_requests;
  gboolean    slow_answered;
} TinyServer;

/* A raw HTTP/1.1 server on its own thread, for the transport failures:
 * it closes, resets or garbles connections on purpose. */

typedef struct {
  GSocket      *listener;
  char         *url;
  GThread      *thread;
  GCancellable *cancellable;
  GMutex        lock;
  GPtrArray    *requests;     /* "METHOD /path" in arrival order */
  guint         n_connections;
} RawServer;

JsonNode *request_full (AaRestClient  *client,
              const char    *method,
              const char    *path,
              const char    *body_json,
              const char    *key,
              gint64         if_match_version,
              GCancellable  *cancellable,
              gboolean      *out_replayed,
              GError       **error);
JsonNode *request_ok (AaRestClient *client,
            const char   *method,
            const char   *path,
            const char   *body_json);
GError *request_error (AaRestClient *client,
               const char   *method,
               const char   *path,
               const char   *body_json,
               gint64        if_match_version,
               AaError       code);
AaRestClient *client_for (AaTestServer *server);
guint count_requests (AaTestServer *server,
                const char   *method,
                const char   *path_prefix);
char *create_item (AaRestClient *client,
             const char   *title);
guint count_items_titled (AaRestClient *client,
                    const char   *title);
char *find_id (AaRestClient *client,
         const char   *path,
         const char   *member,
         const char   *value);
TinyServer *tiny_server_new (void);
void tiny_server_free (TinyServer *tiny);
RawServer *raw_server_new (void);
void raw_server_free (RawServer *raw);
guint raw_server_count (RawServer  *raw,
                  const char *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TinyServer, tiny_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

G_END_DECLS
