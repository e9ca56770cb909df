/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

#include "aa-resource.h"
#include "aa-types.h"

G_BEGIN_DECLS

/**
 * AaResourceFilter:
 * @resource: a resource of the store
 * @user_data: (closure): the data passed along
 *
 * Says whether a list from the server speaks for @resource, so that its
 * absence from the list means it is gone.
 *
 * Returns: %TRUE when the list covers @resource
 */
typedef gboolean (*AaResourceFilter) (AaResource *resource,
                                      gpointer    user_data);

#define AA_TYPE_RESOURCE_STORE (aa_resource_store_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaResourceStore, aa_resource_store, AA, RESOURCE_STORE, GObject)

AA_AVAILABLE_IN_ALL
AaResourceStore *aa_resource_store_new               (AaEngine         *engine,
                                                      GType             resource_type);
AA_AVAILABLE_IN_ALL
AaEngine        *aa_resource_store_get_engine        (AaResourceStore  *self);
AA_AVAILABLE_IN_ALL
GType            aa_resource_store_get_resource_type (AaResourceStore  *self);
AA_AVAILABLE_IN_ALL
AaResource      *aa_resource_store_lookup            (AaResourceStore  *self,
                                                      const char       *id);
AA_AVAILABLE_IN_ALL
gboolean         aa_resource_store_contains          (AaResourceStore  *self,
                                                      AaResource       *resource);
AA_AVAILABLE_IN_ALL
AaResource      *aa_resource_store_add_local         (AaResourceStore  *self,
                                                      guint             position,
                                                      JsonObject       *state);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_remove            (AaResourceStore  *self,
                                                      AaResource       *resource);
AA_AVAILABLE_IN_ALL
AaResourceStore *aa_resource_store_of                (AaResource       *resource);

AA_AVAILABLE_IN_ALL
GPtrArray       *aa_resource_store_normalize_list    (AaResourceStore  *self,
                                                      JsonNode         *list,
                                                      GError          **error);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_apply_states      (AaResourceStore  *self,
                                                      GPtrArray        *states,
                                                      guint             sent_at,
                                                      AaResourceFilter  covers,
                                                      gpointer          user_data);

AA_AVAILABLE_IN_ALL
guint            aa_resource_store_get_page_size     (AaResourceStore     *self);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_set_page_size     (AaResourceStore     *self,
                                                      guint                page_size);
AA_AVAILABLE_IN_ALL
guint            aa_resource_store_get_first_page_size (AaResourceStore   *self);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_set_first_page_size (AaResourceStore   *self,
                                                        guint              first_page_size);
AA_AVAILABLE_IN_ALL
gboolean         aa_resource_store_get_complete      (AaResourceStore     *self);

AA_AVAILABLE_IN_ALL
void             aa_resource_store_refresh_async     (AaResourceStore     *self,
                                                      const char          *path,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_refresh_full_async (AaResourceStore    *self,
                                                      const char          *path,
                                                      AaResourceFilter     covers,
                                                      gpointer             covers_data,
                                                      GDestroyNotify       covers_destroy,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AA_AVAILABLE_IN_ALL
gboolean         aa_resource_store_apply_remote      (AaResourceStore     *self,
                                                      const char          *id,
                                                      JsonObject          *server_object,
                                                      const char          *after_id,
                                                      const char          *origin);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_flush_remote      (AaResourceStore     *self);
AA_AVAILABLE_IN_ALL
gboolean         aa_resource_store_refresh_finish    (AaResourceStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
AA_AVAILABLE_IN_ALL
void             aa_resource_store_reload_async      (AaResourceStore     *self,
                                                      AaResource          *resource,
                                                      const char          *path,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AA_AVAILABLE_IN_ALL
AaResource      *aa_resource_store_reload_finish     (AaResourceStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
