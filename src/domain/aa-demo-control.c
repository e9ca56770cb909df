/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-demo-control"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-demo-control.h"

/*
 * The demo server's own controls, under /_control: its network conditions
 * (faults) and who is signed in (session). Not intentions of the app's
 * domain, so not mutations: plain requests, each with a fresh key.
 */

struct _AaDemoControl
{
  GObject          parent_instance;

  AaActionManager *manager;
  /* The controls' own client: it stays connected while the app's is
   * blocked by the Offline condition, so that it can be lifted. */
  AaRestClient    *control;
};

G_DEFINE_FINAL_TYPE (AaDemoControl, aa_demo_control, G_TYPE_OBJECT)

static void
aa_demo_control_finalize (GObject *object)
{
  AaDemoControl *self = AA_DEMO_CONTROL (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->control);

  G_OBJECT_CLASS (aa_demo_control_parent_class)->finalize (object);
}

static void
aa_demo_control_class_init (AaDemoControlClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aa_demo_control_finalize;
}

static void
aa_demo_control_init (AaDemoControl *self)
{
}

AaDemoControl *
aa_demo_control_new (AaActionManager *manager)
{
  AaDemoControl *self;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  self = g_object_new (AA_TYPE_DEMO_CONTROL, NULL);
  self->manager = g_object_ref (manager);
  self->control = aa_rest_client_new (aa_rest_client_get_base_url (aa_action_manager_get_client (manager)));
  g_object_bind_property (aa_action_manager_get_client (manager), "token", self->control, "token", G_BINDING_SYNC_CREATE);
  return self;
}

/* Signing in as another member of the demo server */

static void
sign_in_refresh_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaDemoControl *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The roles shown must be the server's, and "me" the new member. */
  aa_refresher_refresh_async (aa_action_manager_get_refresher (self->manager), AA_REFRESH_MEMBERS, cancellable,
                              sign_in_refresh_cb, g_steal_pointer (&task));
}

void
aa_demo_control_sign_in_as_async (AaDemoControl       *self,
                                    AaMember            *member,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (AA_IS_DEMO_CONTROL (self));
  g_return_if_fail (AA_IS_MEMBER (member));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_demo_control_sign_in_as_async);

  json_object_set_string_member (object, "member_id", aa_resource_get_id (AA_RESOURCE (member)));
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, object);
  key = aa_rest_client_new_idempotency_key ();
  aa_rest_client_request_async (self->control, "PUT", "/_control/session", body, key, -1,
                                cancellable, sign_in_cb, task);
}

gboolean
aa_demo_control_sign_in_as_finish (AaDemoControl    *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_DEMO_CONTROL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Network conditions of the demo server */

static void
get_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    g_task_return_new_error (task, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                             _("The server’s answer has no object in it."));
  else
    g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                           (GDestroyNotify) json_object_unref);
}

void
aa_demo_control_get_faults_async (AaDemoControl       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AA_IS_DEMO_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_demo_control_get_faults_async);
  aa_rest_client_request_async (self->control, "GET", "/_control/faults", NULL, NULL, -1,
                                cancellable, get_faults_cb, task);
}

JsonObject *
aa_demo_control_get_faults_finish (AaDemoControl    *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_DEMO_CONTROL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaDemoControl *self = g_task_get_source_object (task);
  JsonObject *faults = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* Offline is a real outage for the app: its requests never reach the
   * server (connection refused, as it were), so nothing is applied, and
   * only its probes find out when the condition is lifted. */
  if (faults != NULL && json_object_has_member (faults, "offline")) {
    gboolean offline = json_object_get_boolean_member (faults, "offline");

    aa_rest_client_set_blocked (aa_action_manager_get_client (self->manager), offline);
    /* The condition is known here: the window says Offline at once (a
     * real outage is found by the first request or the stream), and says
     * it is back at once when it is lifted, as the network monitor would,
     * not at the next probe of a long backoff. */
    if (offline)
      aa_connectivity_report_unreachable (aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager)));
    else
      aa_connectivity_check (aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager)));
  }
  g_task_return_boolean (task, TRUE);
}

void
aa_demo_control_set_faults_async (AaDemoControl       *self,
                                    JsonObject          *faults,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (AA_IS_DEMO_CONTROL (self));
  g_return_if_fail (faults != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_demo_control_set_faults_async);
  g_task_set_task_data (task, json_object_ref (faults), (GDestroyNotify) json_object_unref);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, faults);
  /* Every PUT carries a key; a settings change is its own intention. */
  key = aa_rest_client_new_idempotency_key ();
  aa_rest_client_request_async (self->control, "PUT", "/_control/faults", body, key, -1,
                                cancellable, set_faults_cb, task);
}

gboolean
aa_demo_control_set_faults_finish (AaDemoControl    *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_DEMO_CONTROL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Cuts every live-update stream the server holds (POST
 * /_control/drop-streams): the app shows "Reconnecting…", comes back with
 * Last-Event-ID and misses nothing. */
void
aa_demo_control_drop_streams_async (AaDemoControl       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (AA_IS_DEMO_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_demo_control_drop_streams_async);
  key = aa_rest_client_new_idempotency_key ();
  aa_rest_client_request_async (self->control, "POST", "/_control/drop-streams",
                                NULL, key, -1, cancellable, set_faults_cb, task);
}

gboolean
aa_demo_control_drop_streams_finish (AaDemoControl  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (AA_IS_DEMO_CONTROL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
