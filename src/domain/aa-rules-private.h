/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-app-operation.h"

G_BEGIN_DECLS

/*
 * One row of this app's declaration table (aa-rules.c): everything that
 * makes a kind of action what it is. Adding an action is adding a row (and
 * its kind, its intention in AaActionManager, its widget, its translations).
 * A NULL function takes the engine's default.
 */
typedef struct {
  AaMutationKind    kind;
  const char       *name;
  AaOperationFlags  flags;
  AaRule            rule;
  /* Which kind its undo is (for AA_OPERATION_UNDOABLE); its own kind means
   * the inverse patch. */
  AaMutationKind    undo;
  AaRequest  *(*request)     (AaMutation      *mutation);
  void        (*apply)       (AaMutation      *mutation,
                              JsonObject      *state);
  JsonObject *(*confirm)     (AaActionManager *manager,
                              AaMutation      *mutation,
                              JsonNode        *answer,
                              GError         **error);
  char       *(*label)       (AaMutation      *mutation);
  char       *(*success)     (AaMutation      *mutation);
  /* The first sentence of a failure: "Couldn’t star “X”." */
  char       *(*what_failed) (AaMutation      *mutation);
  /* A whole message where this action knows better than the error kind,
   * or NULL. */
  char       *(*failure)     (AaMutation      *mutation,
                              const GError    *error);
  gboolean    (*input_error) (const GError    *error);
  /* The whole message when its object was removed elsewhere while the
   * change waited (AA_ERROR_REMOVED_ELSEWHERE): what happened to the object
   * and to the change, or NULL for the engine's "Couldn’t …" default. */
  char       *(*removed)     (AaMutation      *mutation);
  /* The words of an unknown outcome, or NULL for the engine's "… not
   * confirmed yet. Checking with the server…". */
  char       *(*unknown)     (AaMutation      *mutation);
  /* How to find out whether a mutation whose answer was lost was applied
   * (the rule's resolution AA_RESOLUTION_CHECK), or NULL for none. */
  AaRequest  *(*check)       (AaMutation      *mutation);
  AaCheckResult (*checked)   (AaMutation      *mutation,
                              JsonNode        *answer);
} AaActionSpec;

const AaActionSpec *aa_action_spec_lookup (AaMutationKind kind);

/* How messages name an object: its name, shortened so that a toast stays
 * on one line, with its own quotation marks turned into inner ones (‘…’)
 * so that “…” around it never nests. */
char               *aa_subject_for_messages (const char *name);

G_END_DECLS
