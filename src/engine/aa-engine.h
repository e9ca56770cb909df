#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

G_DECLARE_FINAL_TYPE (AaEngine, aa_engine, AA, ENGINE, GObject)

AaEngine     *aa_engine_new              (AaRestClient *client);
AaRestClient *aa_engine_get_client       (AaEngine     *self);
GListModel   *aa_engine_get_mutations    (AaEngine     *self);
guint         aa_engine_get_n_pending    (AaEngine     *self);
guint         aa_engine_get_n_failed     (AaEngine     *self);
AaMutation   *aa_engine_get_undoable     (AaEngine     *self);
guint         aa_engine_get_clock        (AaEngine     *self);

gboolean      aa_engine_is_own_change    (AaEngine     *self,
                                          const char   *idempotency_key);

AaMutation   *aa_engine_run              (AaEngine     *self,
                                          AaMutation   *mutation);
AaMutation   *aa_engine_refuse           (AaEngine     *self,
                                          AaMutation   *mutation,
                                          const GError *error);
gboolean      aa_engine_retry            (AaEngine     *self,
                                          AaMutation   *mutation);
void          aa_engine_dismiss          (AaEngine     *self,
                                          AaMutation   *mutation);
gboolean      aa_engine_can_undo         (AaEngine     *self,
                                          AaMutation   *mutation);
AaMutation   *aa_engine_undo             (AaEngine     *self,
                                          AaMutation   *mutation);

AaMutation   *aa_engine_find_pending     (AaEngine     *self,
                                          AaResource   *target,
                                          AaOperation  *operation);
gboolean      aa_engine_has_pending      (AaEngine     *self,
                                          AaResource   *resource);
GPtrArray    *aa_engine_list_unsettled   (AaEngine     *self);

void          aa_engine_replace_confirmed (AaEngine    *self,
                                           AaResource  *resource,
                                           JsonObject  *state);

void          aa_engine_set_journal      (AaEngine        *self,
                                          AaJournal       *journal);
AaJournal    *aa_engine_get_journal      (AaEngine        *self);
void          aa_engine_register_operation (AaEngine        *self,
                                            AaOperation     *operation,
                                            AaResourceStore *store);
guint         aa_engine_restore          (AaEngine        *self,
                                          GError         **error);

G_END_DECLS
