/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "aa-fault.h"

G_BEGIN_DECLS

#define AA_SERVER_MAX_DELAY_MS (10 * 60 * 1000)

/*
 * Fault injection: latency, a random failure rate, offline mode and a queue
 * of one-shot faults (GET/PUT /_control/faults). Plain data owned by AaServer.
 */
typedef struct {
  guint     latency_ms;
  double    failure_rate;
  guint32   seed;
  GRand    *rand;
  gboolean  offline;
  guint     timeout_hold_ms;
  GQueue    next;           /* AaFault, as GUINT_TO_POINTER */
} AaServerFaults;

void         aa_server_faults_init      (AaServerFaults  *faults);
void         aa_server_faults_clear     (AaServerFaults  *faults);
/* Reseeding restarts the random sequence, even for the same seed. */
void         aa_server_faults_reseed    (AaServerFaults  *faults,
                                         guint32          seed);
/* The fault for the next change: the queued one, or a random 503. */
AaFault      aa_server_faults_take      (AaServerFaults  *faults);
JsonNode    *aa_server_faults_to_json   (AaServerFaults  *faults);
/* Applies a PUT /_control/faults body, all or nothing; on a bad field
 * returns FALSE with a message for the 422. */
gboolean     aa_server_faults_update    (AaServerFaults  *faults,
                                         JsonObject      *object,
                                         char           **out_message);

G_END_DECLS
