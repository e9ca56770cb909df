/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-thread"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "aa-server.h"
#include "aa-server-thread.h"

struct _AaServerThread
{
  GObject       parent_instance;

  char         *data_path;
  char         *token;

  GMutex        mutex;
  GCond         cond;
  GThread      *thread;
  gboolean      ready;
  char         *url;
  GError       *error;

  /* Owned by the server thread; the context is also used to reach it. */
  GMainContext *context;
  GMainLoop    *loop;
  AaServer     *server;
};

G_DEFINE_FINAL_TYPE (AaServerThread, aa_server_thread, G_TYPE_OBJECT)

static char *
default_data_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "async-actions", "server.db", NULL);
}

static gpointer
thread_func (gpointer data)
{
  AaServerThread *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AaServer) server = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_main_context_push_thread_default (self->context);

  path = self->data_path != NULL ? g_strdup (self->data_path) : default_data_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 _("Couldn’t create the folder “%s”: %s"), dir, g_strerror (saved_errno));
  }

  if (error == NULL)
    server = aa_server_new (path, self->token, &error);
  if (server != NULL && !aa_server_listen (server, 0, FALSE, &error))
    g_clear_object (&server);

  g_mutex_lock (&self->mutex);
  if (server != NULL)
    self->url = aa_server_dup_url (server);
  else
    self->error = g_steal_pointer (&error);
  self->server = server;
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (server != NULL)
    g_main_loop_run (self->loop);

  /* The stop callback already shut the server down; let libsoup finish
   * closing connections on this context before it goes away. */
  self->server = NULL;
  g_clear_object (&server);
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
stop_cb (gpointer data)
{
  AaServerThread *self = data;

  if (self->server != NULL)
    aa_server_shutdown (self->server);
  g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

static void
aa_server_thread_finalize (GObject *object)
{
  AaServerThread *self = (AaServerThread *) object;

  aa_server_thread_stop (self);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->error);
  g_free (self->url);
  g_free (self->data_path);
  g_free (self->token);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (aa_server_thread_parent_class)->finalize (object);
}

static void
aa_server_thread_class_init (AaServerThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_server_thread_finalize;
}

static void
aa_server_thread_init (AaServerThread *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

AaServerThread *
aa_server_thread_new (const char *data_path,
                      const char *token)
{
  AaServerThread *self = g_object_new (AA_TYPE_SERVER_THREAD, NULL);

  self->data_path = g_strdup (data_path);
  self->token = g_strdup (token);

  return self;
}

gboolean
aa_server_thread_start (AaServerThread  *self,
                        GError         **error)
{
  g_return_val_if_fail (AA_IS_SERVER_THREAD (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL && self->context == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("aa-server", thread_func, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->error != NULL) {
    aa_server_thread_stop (self);
    g_propagate_error (error, g_steal_pointer (&self->error));
    return FALSE;
  }

  return TRUE;
}

const char *
aa_server_thread_get_url (AaServerThread *self)
{
  g_return_val_if_fail (AA_IS_SERVER_THREAD (self), NULL);

  return self->url;
}

void
aa_server_thread_stop (AaServerThread *self)
{
  g_return_if_fail (AA_IS_SERVER_THREAD (self));

  if (self->thread == NULL)
    return;

  /* The server lives on its own context: it is stopped there. */
  g_main_context_invoke (self->context, stop_cb, self);
  g_thread_join (g_steal_pointer (&self->thread));
}
