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

#include "aa-connectivity.h"
#include "aa-feedback.h"
#include "aa-journal.h"
#include "aa-mutation.h"
#include "aa-operation.h"
#include "aa-resource.h"
#include "aa-resource-store.h"
#include "aa-rest-client.h"
#include "aa-types.h"

G_BEGIN_DECLS

#define AA_TYPE_ENGINE (aa_engine_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaEngine, aa_engine, AA, ENGINE, GObject)

AA_AVAILABLE_IN_ALL
AaEngine     *aa_engine_new              (AaRestClient *client);
AA_AVAILABLE_IN_ALL
AaRestClient *aa_engine_get_client       (AaEngine     *self);
AA_AVAILABLE_IN_ALL
GListModel   *aa_engine_get_mutations    (AaEngine     *self);
AA_AVAILABLE_IN_ALL
guint         aa_engine_get_n_pending    (AaEngine     *self);
AA_AVAILABLE_IN_ALL
guint         aa_engine_get_n_failed     (AaEngine     *self);
AA_AVAILABLE_IN_ALL
guint         aa_engine_get_n_waiting    (AaEngine     *self);
AA_AVAILABLE_IN_ALL
guint         aa_engine_get_n_unknown    (AaEngine     *self);
AA_AVAILABLE_IN_ALL
AaConnectivity *aa_engine_get_connectivity (AaEngine   *self);
AA_AVAILABLE_IN_ALL
AaMutation   *aa_engine_get_undoable     (AaEngine     *self);
AA_AVAILABLE_IN_ALL
guint         aa_engine_get_clock        (AaEngine     *self);

AA_AVAILABLE_IN_ALL
gboolean      aa_engine_is_own_change    (AaEngine     *self,
                                          const char   *idempotency_key);

AA_AVAILABLE_IN_ALL
AaMutation   *aa_engine_run              (AaEngine     *self,
                                          AaMutation   *mutation);
AA_AVAILABLE_IN_ALL
AaMutation   *aa_engine_refuse           (AaEngine     *self,
                                          AaMutation   *mutation,
                                          const GError *error);
AA_AVAILABLE_IN_ALL
gboolean      aa_engine_retry            (AaEngine     *self,
                                          AaMutation   *mutation);
AA_AVAILABLE_IN_ALL
gboolean      aa_engine_can_dismiss      (AaEngine     *self,
                                          AaMutation   *mutation);
AA_AVAILABLE_IN_ALL
void          aa_engine_dismiss          (AaEngine     *self,
                                          AaMutation   *mutation);
AA_AVAILABLE_IN_ALL
gboolean      aa_engine_can_undo         (AaEngine     *self,
                                          AaMutation   *mutation);
AA_AVAILABLE_IN_ALL
AaMutation   *aa_engine_undo             (AaEngine     *self,
                                          AaMutation   *mutation);

AA_AVAILABLE_IN_ALL
AaMutation   *aa_engine_find_pending     (AaEngine     *self,
                                          AaResource   *target,
                                          AaOperation  *operation);
AA_AVAILABLE_IN_ALL
gboolean      aa_engine_has_pending      (AaEngine     *self,
                                          AaResource   *resource);
AA_AVAILABLE_IN_ALL
GPtrArray    *aa_engine_list_unsettled   (AaEngine     *self);

AA_AVAILABLE_IN_ALL
void          aa_engine_replace_confirmed (AaEngine    *self,
                                           AaResource  *resource,
                                           JsonObject  *state);

AA_AVAILABLE_IN_ALL
void          aa_engine_set_journal      (AaEngine        *self,
                                          AaJournal       *journal);
AA_AVAILABLE_IN_ALL
AaJournal    *aa_engine_get_journal      (AaEngine        *self);
AA_AVAILABLE_IN_ALL
void          aa_engine_register_operation (AaEngine        *self,
                                            AaOperation     *operation,
                                            AaResourceStore *store);
AA_AVAILABLE_IN_ALL
void          aa_engine_add_operations   (AaEngine               *self,
                                          const AaOperationEntry *entries,
                                          gssize                  n_entries,
                                          AaResourceStore        *store,
                                          const char             *translation_domain,
                                          gpointer                user_data);
AA_AVAILABLE_IN_ALL
AaOperation  *aa_engine_lookup_operation (AaEngine               *self,
                                          const char             *name);
AA_AVAILABLE_IN_ALL
guint         aa_engine_restore          (AaEngine        *self,
                                          GError         **error);

G_END_DECLS
