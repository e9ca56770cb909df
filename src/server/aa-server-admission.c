/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-admission"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-private.h"

/*
 * What is refused before the body is read: a wrong Host (DNS rebinding), a
 * missing or wrong token, a cross-site Origin on a change, a body larger
 * than the limit by its Content-Length or, chunked, as it arrives; and a
 * request whose headers and body take longer than the request timeout.
 * Such a refusal is written on the connection, which is then closed, so
 * that nothing more of it is read.
 */

#define DRAIN_BYTES   (64 * 1024)
#define DRAIN_TIMEOUT_MS 2000

typedef struct {
  AaServer          *self;
  SoupServerMessage *msg;       /* unowned: the entry goes with the message */
  GSource           *deadline;
  GSource           *refusal;   /* the idle that writes the refusal */
  gsize              received;
  guint              status;
  GBytes            *body;
  gboolean           unauthorized;
} Admission;

/* A refused connection: the answer is written, then what the client still
 * sends is read and dropped for a moment, so that closing does not reset
 * the connection before the client has read the answer. */
typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *data;
  GCancellable *cancellable;
  GSource      *timeout;
  gsize         drained;
  guint8        buffer[8192];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  if (refusal->timeout != NULL) {
    g_source_destroy (refusal->timeout);
    g_source_unref (refusal->timeout);
  }
  g_io_stream_close (refusal->stream, NULL, NULL);
  g_object_unref (refusal->stream);
  g_clear_object (&refusal->socket);
  g_bytes_unref (refusal->data);
  g_object_unref (refusal->cancellable);
  g_free (refusal);
}

static void
drained_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Refusal *refusal = data;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n_read <= 0 || (refusal->drained += (gsize) n_read) >= DRAIN_BYTES) {
    refusal_free (refusal);
    return;
  }

  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer, G_PRIORITY_DEFAULT,
                             refusal->cancellable, drained_cb, refusal);
}

static gboolean
drain_timeout_cb (gpointer data)
{
  Refusal *refusal = data;

  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Refusal *refusal = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) ||
      refusal->socket == NULL) {
    refusal_free (refusal);
    return;
  }

  g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);
  refusal->timeout = g_timeout_source_new (DRAIN_TIMEOUT_MS);
  g_source_set_callback (refusal->timeout, drain_timeout_cb, refusal, NULL);
  g_source_attach (refusal->timeout, g_main_context_get_thread_default ());
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer, G_PRIORITY_DEFAULT,
                             refusal->cancellable, drained_cb, refusal);
}

static void msg_gone_cb (gpointer  data,
                         GObject  *where_the_object_was);

static void
admission_free (Admission *admission)
{
  if (admission->msg != NULL) {
    g_object_weak_unref (G_OBJECT (admission->msg), msg_gone_cb, admission);
    g_signal_handlers_disconnect_by_data (admission->msg, admission);
  }
  if (admission->deadline != NULL) {
    g_source_destroy (admission->deadline);
    g_source_unref (admission->deadline);
  }
  if (admission->refusal != NULL) {
    g_source_destroy (admission->refusal);
    g_source_unref (admission->refusal);
  }
  g_clear_pointer (&admission->body, g_bytes_unref);
  g_free (admission);
}

static gboolean
refuse_cb (gpointer data)
{
  Admission *admission = data;
  AaServer *self = admission->self;
  SoupServerMessage *msg = admission->msg;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GBytes) body = g_steal_pointer (&admission->body);
  Refusal *refusal;
  GSocket *socket;
  GIOStream *stream;
  guint status = admission->status;
  gboolean unauthorized = admission->unauthorized;

  g_clear_pointer (&admission->refusal, g_source_unref);

  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_object_ref (socket);
  /* Removes the admission too: the message goes with its connection. */
  g_object_ref (msg);
  g_hash_table_remove (self->admissions, msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL) {
    g_clear_object (&socket);
    return G_SOURCE_REMOVE;
  }

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  g_string_append (head, "Server: async-actions-server/" PACKAGE_VERSION "\r\n");
  g_string_append (head, "Content-Type: application/json\r\n");
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", g_bytes_get_size (body));
  g_string_append (head, "Connection: close\r\n");
  if (unauthorized)
    g_string_append (head, "WWW-Authenticate: Bearer realm=\"async-actions\"\r\n");
  g_string_append (head, "\r\n");
  g_string_append_len (head, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body));

  refusal = g_new0 (Refusal, 1);
  refusal->stream = stream;
  refusal->socket = socket;
  refusal->cancellable = g_cancellable_new ();
  refusal->data = g_string_free_to_bytes (g_steal_pointer (&head));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (refusal->data, NULL), g_bytes_get_size (refusal->data),
                                   G_PRIORITY_DEFAULT, refusal->cancellable, written_cb, refusal);

  return G_SOURCE_REMOVE;
}

/* Stops reading the request and answers it from the main loop: libsoup
 * is in the middle of reading it now. */
static void
refuse (Admission  *admission,
        guint       status,
        const char *code,
        const char *message)
{
  if (admission->refusal != NULL)
    return;

  if (admission->deadline != NULL) {
    g_source_destroy (admission->deadline);
    g_clear_pointer (&admission->deadline, g_source_unref);
  }

  admission->status = status;
  admission->body = aa_server_error_body (code, message);
  admission->unauthorized = status == 401;
  soup_server_message_pause (admission->msg);
  admission->refusal = g_idle_source_new ();
  g_source_set_callback (admission->refusal, refuse_cb, admission, NULL);
  g_source_attach (admission->refusal, admission->self->context);
}

/* Tokens are compared through their digests, in constant time: how long a
 * comparison takes says nothing about the token. */
static gboolean
token_equal (const char *given,
             const char *expected)
{
  g_autoptr(GChecksum) a = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) b = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest_a[32], digest_b[32];
  gsize length_a = sizeof digest_a, length_b = sizeof digest_b;
  guint8 difference = 0;

  g_checksum_update (a, (const guchar *) given, -1);
  g_checksum_update (b, (const guchar *) expected, -1);
  g_checksum_get_digest (a, digest_a, &length_a);
  g_checksum_get_digest (b, digest_b, &length_b);
  for (gsize i = 0; i < sizeof digest_a; i++)
    difference |= digest_a[i] ^ digest_b[i];

  return difference == 0;
}

gboolean
aa_server_is_authorized (AaServer          *self,
                         SoupServerMessage *msg)
{
  const char *header;
  const char *token;

  if (self->token == NULL)
    return TRUE;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (header == NULL)
    return FALSE;

  /* The scheme is case-insensitive (RFC 9110); the token is not. */
  while (*header == ' ')
    header++;
  if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  token = header + 7;
  while (*token == ' ')
    token++;

  return token_equal (token, self->token);
}

void
aa_server_unauthorized (AaServerReply *reply)
{
  aa_server_reply_error (reply, 401, "unauthorized",
                         _("Sign in again: the request needs a valid “Authorization: Bearer” token."));
}

/* The host name of "host", "host:port", "[v6]:port" or "v6", lowercased. */
static char *
host_name (const char *authority)
{
  const char *end;

  if (*authority == '[') {
    end = strchr (authority, ']');
    return end != NULL ? g_ascii_strdown (authority + 1, end - authority - 1) : NULL;
  }

  /* An IPv6 address as a URI gives it, without brackets or port. */
  end = strchr (authority, ':');
  if (end != NULL && strchr (end + 1, ':') != NULL)
    return g_ascii_strdown (authority, -1);

  return g_ascii_strdown (authority, end != NULL ? end - authority : -1);
}

/* A DNS rebinding attack needs a name that resolves to us: addresses, the
 * loopback name and the names given with --allowed-host are ours. */
static gboolean
is_allowed_host (AaServer   *self,
                 const char *authority)
{
  g_autofree char *name = authority != NULL ? host_name (authority) : NULL;

  if (name == NULL || *name == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (name) || g_str_equal (name, "localhost"))
    return TRUE;

  return self->allowed_hosts != NULL && g_strv_contains ((const char * const *) self->allowed_hosts, name);
}

/* A change may come from a page of the server's own origin, or from none
 * (not a browser); a page of another site may not make one. */
static gboolean
is_allowed_origin (AaServer   *self,
                   const char *origin,
                   const char *host)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *name = NULL;

  if (origin == NULL)
    return TRUE;

  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_uri_get_port (uri) > 0)
    authority = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    authority = g_strdup (g_uri_get_host (uri));

  if (host != NULL && g_ascii_strcasecmp (authority, host) == 0)
    return TRUE;

  name = g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_str_equal (name, "localhost") || g_str_equal (name, "127.0.0.1") || g_str_equal (name, "::1") ||
         (self->allowed_hosts != NULL && g_strv_contains ((const char * const *) self->allowed_hosts, name));
}

static gboolean
is_control_path (const char *path)
{
  return g_str_has_prefix (path, AA_SERVER_API_PREFIX "/_control/") ||
         g_str_equal (path, AA_SERVER_API_PREFIX "/_control");
}

static void
got_headers_cb (SoupServerMessage *msg,
                Admission         *admission)
{
  AaServer *self = admission->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : "";
  goffset length;

  /* libsoup refused it already (a bad request line, say): same answer, as JSON. */
  if (soup_server_message_get_status (msg) != 0) {
    guint status = soup_server_message_get_status (msg);

    refuse (admission, status, "bad_request", soup_status_get_phrase (status));
    return;
  }

  /* The Host header, and the host of an absolute request URI, which wins. */
  if (!is_allowed_host (self, soup_message_headers_get_one (headers, "Host")) ||
      (uri != NULL && g_uri_get_host (uri) != NULL && !is_allowed_host (self, g_uri_get_host (uri)))) {
    refuse (admission, 421, "misdirected_request",
            _("This server does not answer to that host name. Use the address it printed at start."));
    return;
  }

  /* The offline fault drops API requests without an answer, token or not;
   * the controls stay reachable so that the demo can come back online. */
  if (self->faults.offline && !is_control_path (path))
    return;

  if (!aa_server_is_authorized (self, msg)) {
    refuse (admission, 401, "unauthorized",
            _("Sign in again: the request needs a valid “Authorization: Bearer” token."));
    return;
  }

  if (aa_server_is_mutating (method) &&
      !is_allowed_origin (self, soup_message_headers_get_one (headers, "Origin"),
                          soup_message_headers_get_one (headers, "Host"))) {
    refuse (admission, 403, "cross_origin",
            _("Changes from a page of another site are refused. Use the app, or call the API directly."));
    return;
  }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH) {
    length = soup_message_headers_get_content_length (headers);
    if (length > AA_SERVER_MAX_BODY_BYTES) {
      refuse (admission, 413, "payload_too_large", _("The body is larger than 64 KiB. Send less."));
      return;
    }
  }
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              Admission         *admission)
{
  /* A chunked body has no length up front: it is cut off at the limit. */
  admission->received += g_bytes_get_size (chunk);
  if (admission->received > AA_SERVER_MAX_BODY_BYTES)
    refuse (admission, 413, "payload_too_large", _("The body is larger than 64 KiB. Send less."));
}

static void
got_body_cb (SoupServerMessage *msg,
             Admission         *admission)
{
  /* The request is in: from here on its own timers apply. */
  if (admission->refusal == NULL)
    g_hash_table_remove (admission->self->admissions, msg);
}

static gboolean
deadline_cb (gpointer data)
{
  Admission *admission = data;
  GSocket *socket = soup_server_message_get_socket (admission->msg);

  g_clear_pointer (&admission->deadline, g_source_unref);
  /* Shutting the socket down (rather than closing it under libsoup) makes
   * libsoup see the end of the connection and clean up as usual. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
finished_cb (SoupServerMessage *msg,
             Admission         *admission)
{
  g_hash_table_remove (admission->self->admissions, msg);
}

static void
msg_gone_cb (gpointer  data,
             GObject  *where_the_object_was)
{
  Admission *admission = data;

  admission->msg = NULL;
  g_hash_table_remove (admission->self->admissions, where_the_object_was);
}

void
aa_server_admission_start (AaServer          *self,
                           SoupServerMessage *msg)
{
  Admission *admission = g_new0 (Admission, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  admission->self = self;
  admission->msg = msg;
  g_hash_table_insert (self->admissions, msg, admission);

  /* No single read or write waits longer than this; the deadline below
   * covers a client that sends a byte now and then. */
  if (socket != NULL)
    g_socket_set_timeout (socket, self->request_timeout_s);
  admission->deadline = g_timeout_source_new_seconds (self->request_timeout_s);
  g_source_set_callback (admission->deadline, deadline_cb, admission, NULL);
  g_source_attach (admission->deadline, self->context);

  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), admission);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), admission);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), admission);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), admission);
  g_object_weak_ref (G_OBJECT (msg), msg_gone_cb, admission);
}

void
aa_server_admission_stop_all (AaServer *self)
{
  g_hash_table_remove_all (self->admissions);
}

GHashTable *
aa_server_admission_table_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) admission_free);
}
