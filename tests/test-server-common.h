/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* What the server tests share: requests with their answers kept whole,
 * checks of an answer, and a few steps many tests take. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aa-test-utils.h"

G_BEGIN_DECLS

typedef struct {
  guint               status;
  JsonNode           *body;
  SoupMessageHeaders *headers;
  GError             *error;    /* the connection failed: no HTTP answer */
  gint64              elapsed_ms;
} Response;

void response_free (Response *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* Like aa_test_request(), but a connection that ends without an answer is a
 * result, not a failure; the token is added unless "Authorization" is given;
 * @content_type NULL means application/json. */
Response *send_request (AaTestServer *server,
                        const char *method,
                        const char *path,
                        const char *content_type,
                        const char *body,
                        ...);

#define call(server, method, path, body, ...) \
  send_request ((server), (method), (path), NULL, (body), ##__VA_ARGS__, NULL)

void assert_status (Response *response,
                    guint status);

/* Checks an error answer: status, code and a non-empty message. */
void assert_error (Response *response,
                   guint status,
                   const char *code);

void assert_no_answer (Response *response);

JsonObject *object (Response *response);

JsonArray *array (Response *response);

guint count_titled (AaTestServer *server,
                    const char *path,
                    const char *title);

int index_of (AaTestServer *server,
              const char *id);

char *create_note (AaTestServer *server,
                   const char *title);

void set_session (AaTestServer *server,
                  const char *member_id);

typedef struct {
  AaTestServer *server;
  const char   *method;
  const char   *path;
  const char   *body;
  const char   *key;
} Background;

gpointer background_request (gpointer data);

/* Waits until the server has seen @n requests for @method on @path. */
void wait_for_arrival (AaTestServer *server,
                       const char *method,
                       const char *path,
                       guint n);

guint16 server_port (AaTestServer *server);

GSocketConnection *raw_connect (AaTestServer *server);

/* Everything the server sends until it closes the connection. */
char *raw_read_all (GSocketConnection *connection);

/* Sends @head (and no body), then reads the answer. */
char *raw_exchange (AaTestServer *server,
                    const char *head);

const char *member_role (AaTestServer *server,
                         const char *id);

G_END_DECLS
