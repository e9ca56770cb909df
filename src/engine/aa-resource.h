/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

#include "aa-state.h"

G_BEGIN_DECLS

/**
 * AaSyncState:
 * @AA_SYNC_STATE_SYNCED: what is shown is what the server confirmed.
 * @AA_SYNC_STATE_PENDING: optimistic changes are shown and on their way.
 * @AA_SYNC_STATE_UNSAVED: an optimistic create that the server has not
 *   accepted yet and that failed; it lives only here until a retry succeeds.
 * @AA_SYNC_STATE_WAITING: changes are shown that wait for the server to be
 *   reachable again; they are sent by themselves then (since: 0.2).
 * @AA_SYNC_STATE_UNKNOWN: a change is shown whose answer was lost; the
 *   engine is finding out whether the server has it (since: 0.2).
 *
 * Whether what a resource shows is what the server confirmed.
 */
typedef enum {
  AA_SYNC_STATE_SYNCED,
  AA_SYNC_STATE_PENDING,
  AA_SYNC_STATE_UNSAVED,
  AA_SYNC_STATE_WAITING,
  AA_SYNC_STATE_UNKNOWN,
} AaSyncState;

#define AA_TYPE_RESOURCE (aa_resource_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (AaResource, aa_resource, AA, RESOURCE, GObject)

/**
 * AaResourceClass:
 * @parent_class: the parent class
 * @normalize: returns the canonical state of a server object (defaults
 *   filled in, unknown members dropped if the class wants, the id a string
 *   or a whole number), or %NULL with %AA_ERROR_BAD_RESPONSE; see
 *   [method@Resource.normalize]
 * @render: called once the shown state changed from @previous to @state:
 *   notifies the typed properties whose value changed (@previous is %NULL
 *   for a new resource, which nobody listens to yet). A subclass reads its properties from the shown state
 *   ([method@Resource.get_shown]) rather than copying them.
 *
 * How a kind of resource reads a server object and shows a state.
 */
struct _AaResourceClass
{
  GObjectClass parent_class;

  JsonObject *(*normalize) (AaResource  *self,
                            JsonObject  *server_object,
                            GError     **error);
  void        (*render)    (AaResource  *self,
                            AaState     *previous,
                            AaState     *state);

  /*< private >*/
  gpointer padding[8];
};

AA_AVAILABLE_IN_ALL
const char  *aa_resource_get_id         (AaResource *self);
AA_AVAILABLE_IN_ALL
gboolean     aa_resource_is_local       (AaResource *self);
AA_AVAILABLE_IN_ALL
gboolean     aa_resource_get_busy       (AaResource *self);
AA_AVAILABLE_IN_ALL
AaSyncState  aa_resource_get_sync_state (AaResource *self);
AA_AVAILABLE_IN_ALL
AaState     *aa_resource_get_confirmed  (AaResource *self);
AA_AVAILABLE_IN_ALL
AaState     *aa_resource_get_shown      (AaResource *self);

AA_AVAILABLE_IN_ALL
AaResource  *aa_resource_new_from_server (GType        type,
                                          JsonObject  *server_object,
                                          GError     **error);
AA_AVAILABLE_IN_ALL
JsonObject  *aa_resource_normalize       (AaResource  *self,
                                          JsonObject  *server_object,
                                          GError     **error);
AA_AVAILABLE_IN_ALL
JsonObject  *aa_json_object_copy         (JsonObject  *object);

G_END_DECLS
