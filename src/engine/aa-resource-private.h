/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource.h"

G_BEGIN_DECLS

/*
 * The engine's side of AaResource. Only AaEngine and AaResourceStore change resources:
 * it keeps the last state the server confirmed and renders the displayed
 * state (confirmed + pending optimistic patches) through these.
 */

/* aa_resource_normalize() on a resource of @type made for the purpose. */
JsonObject *_aa_resource_normalize_for_type (GType         type,
                                             JsonObject   *server_object,
                                             GError      **error);

/* A new local resource that the server has not seen yet: @state (with a
 * temporary "id") is its baseline, as if confirmed, until the server answers. */
AaResource *aa_resource_new_local        (GType         type,
                                          AaState      *state);
/* A resource the server told of, confirmed and shown as @state. */
AaResource *aa_resource_new_confirmed    (GType         type,
                                          const char   *id,
                                          AaState      *state);
/* Takes a reference on @state. */
void        aa_resource_set_confirmed    (AaResource   *self,
                                          AaState      *state);
/* Shows @state through the class's render vfunc, if it differs. */
void        aa_resource_render           (AaResource   *self,
                                          AaState      *state);

void        aa_resource_set_id           (AaResource   *self,
                                          const char   *id);
void        aa_resource_set_local        (AaResource   *self,
                                          gboolean      local);
void        aa_resource_set_busy         (AaResource   *self,
                                          gboolean      busy);
void        aa_resource_set_sync_state   (AaResource   *self,
                                          AaSyncState   sync_state);
/* The store that holds it (unowned; the store clears it when it lets go). */
gpointer    aa_resource_get_store        (AaResource   *self);
void        aa_resource_set_store        (AaResource   *self,
                                          gpointer      store);

/* Stamped by AaEngine with its clock (aa_engine_get_clock()) when a change
 * of it settles or a change from elsewhere is confirmed; asked by
 * AaResourceStore whether that happened after a refresh was sent at
 * @sent_at: if so, the refresh may have been read before it and is not
 * believed over it (aa_resource_store_apply_states()). */
void        aa_resource_mark_settled     (AaResource   *self,
                                          guint         clock);
gboolean    aa_resource_settled_since    (AaResource   *self,
                                          guint         sent_at);
/* The server said someone else removed it (an event, or a 404 or 410 to
 * our own request); AaEngine then refuses an Undo that would bring it
 * back. */
void        aa_resource_set_removed_elsewhere (AaResource *self);
gboolean    aa_resource_get_removed_elsewhere (AaResource *self);


G_END_DECLS
