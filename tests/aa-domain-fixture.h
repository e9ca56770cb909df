/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-action-manager.h"
#include "aa-demo-control.h"
#include "aa-error.h"
#include "aa-rules-private.h"
#include "aa-test-utils.h"

G_BEGIN_DECLS

/* What the test-domain-* programs share: a manager on a real server thread
 * (every count is what the server received, from GET /_control/stats), and
 * the helpers that read it back. */

typedef struct {
  AaTestServer    *server;
  AaRestClient    *client;
  AaActionManager *manager;
  AaDemoControl   *control;
  GPtrArray       *feedback;  /* AaFeedback, in emission order */
} Fixture;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

void
feedback_cb (AaActionManager *manager,
             AaFeedback      *feedback,
             Fixture         *f);
gboolean
wait_done (gpointer data);
void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data);
void
refresh (Fixture *f);
void
fixture_setup (Fixture       *f,
               gconstpointer  data);
gboolean
idle (gpointer data);
void
fixture_teardown (Fixture       *f,
                  gconstpointer  data);
/* Waits (10 s at most, scaled) until @mutation is no longer pending. */
void
wait_settled (AaMutation *mutation);
/* Borrowed: the model keeps it alive. */
AaItem *
item_at (Fixture *f,
         guint    position);
gint
model_index (GListModel *model,
             gpointer    object);
const char *
item_id (AaItem *item);
JsonArray *
server_list (Fixture    *f,
             const char *path,
             JsonNode  **out_node);
gint
server_index (Fixture    *f,
              const char *path,
              const char *id);
JsonObject *
server_item (Fixture    *f,
             const char *id);
guint
count_item_requests (Fixture    *f,
                     const char *method,
                     AaItem     *item);
AaFeedback *
last_feedback (Fixture *f);
void
assert_feedback (AaFeedback       *feedback,
                 AaMutation       *mutation,
                 AaFeedbackTier    tier,
                 AaFeedbackAction  action);
guint
count_notify (GObject    *object,
              const char *property);
void
notify_counter_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data);

G_END_DECLS
