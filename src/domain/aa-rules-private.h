/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "async-actions.h"

#include "aa-member.h"

G_BEGIN_DECLS

typedef struct _AaActionManager AaActionManager;

/*
 * This app's actions, declared in one table (aa-rules.c): one
 * AaOperationEntry per kind of action, named "create-note", "star-note",
 * "done-note", "save-note", "delete-note", "restore-note", "empty-trash",
 * "pay-invoice" and "change-role". Adding an action is adding an entry (and
 * the intention that starts it, its widget, its translations and its server
 * route). Find one with aa_engine_lookup_operation().
 */
void          aa_rules_add_operations (AaEngine        *engine,
                                       AaResourceStore *notes,
                                       AaResourceStore *invoices,
                                       AaResourceStore *members,
                                       AaActionManager *manager);
/* The rules-table row of the entry named @name, or NULL. */
const AaRule *aa_rules_lookup         (const char      *name);

/* How messages name an object: its name, shortened so that a toast stays
 * on one line, with its own quotation marks turned into inner ones (‘…’)
 * so that “…” around it never nests. */
char         *aa_subject_for_messages (const char *name);

/* What a few messages need beyond the subject, kept on the mutation. */
void          aa_app_mutation_set_detail (AaMutation     *mutation,
                                          const char     *detail);
const char   *aa_app_mutation_get_detail (AaMutation     *mutation);
/* For a role change: the signed-in member's role (when known) and the role
 * the member had, so a refusal can be explained. */
void          aa_app_mutation_set_roles  (AaMutation     *mutation,
                                          gboolean        me_known,
                                          AaRole          me,
                                          AaRole          from);
gboolean      aa_app_mutation_get_roles  (AaMutation     *mutation,
                                          AaRole         *out_me,
                                          AaRole         *out_from,
                                          AaRole         *out_to);
/* For empty trash: how many notes went for good. */
void          aa_app_mutation_set_count  (AaMutation     *mutation,
                                          guint           count);
guint         aa_app_mutation_get_count  (AaMutation     *mutation);

G_END_DECLS
