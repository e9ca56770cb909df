/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a handler answers: a JSON body (built or already serialised), or an
 * error code and message, which go out as {"error": {"code", "message"}}. */
typedef struct {
  guint     status;
  JsonNode *body;
  GBytes   *raw;
  char     *code;
  char     *message;
  char     *etag;
  char     *allow;
} AaServerReply;

void    aa_server_reply_clear       (AaServerReply *reply);
void    aa_server_reply_json        (AaServerReply *reply,
                                     guint          status,
                                     JsonNode      *body);
void    aa_server_reply_raw         (AaServerReply *reply,
                                     guint          status,
                                     GBytes        *body);
void    aa_server_reply_error       (AaServerReply *reply,
                                     guint          status,
                                     const char    *code,
                                     const char    *message);
/* Maps an AA_SERVER_STORE_ERROR to its status and code (500 otherwise). */
void    aa_server_reply_store_error (AaServerReply *reply,
                                     const GError  *error);
GBytes *aa_server_reply_to_bytes    (const AaServerReply *reply);
/* {"error": {"code", "message"}} */
GBytes *aa_server_error_body        (const char    *code,
                                     const char    *message);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AaServerReply, aa_server_reply_clear)

G_END_DECLS
