/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "aa-server.h"
#include "aa-server-events-private.h"
#include "aa-server-faults-private.h"
#include "aa-server-idempotency-private.h"
#include "aa-server-lane-private.h"
#include "aa-server-reply-private.h"
#include "aa-server-stats-private.h"
#include "aa-server-store.h"

G_BEGIN_DECLS

/*
 * AaServer is split by concern; the files share its instance struct here:
 *   aa-server.c            the object, listening, a request from arrival to answer
 *   aa-server-admission.c  what is refused before the body is read
 *   aa-server-routes.c     the API and control handlers
 *   aa-server-events.c     GET /events, the stream of accepted changes
 *   aa-server-idempotency.c, aa-server-faults.c, aa-server-stats.c, and the
 *   store (aa-server-store.c, with aa-server-db.c, aa-server-data-file.c and
 *   aa-server-writer.c, the thread that makes changes durable, and
 *   aa-server-view.c, what reads show; see docs/server.md)
 */

#define AA_SERVER_API_PREFIX      "/api/v1"
#define AA_SERVER_MAX_BODY_BYTES  (64 * 1024)
/* The most items a page of a list holds (GET /items?limit=N). */
#define AA_SERVER_PAGE_MAX        1000

typedef struct _AaServerRequest AaServerRequest;
typedef void (*AaServerHandler) (AaServer        *self,
                                 AaServerRequest *req,
                                 AaServerReply   *reply);

typedef struct {
  const char      *method;
  const char      *pattern;   /* "*" matches one path segment: the id */
  AaServerHandler  handler;
} AaServerRoute;

/* A non-control request from arrival to answer (or to a closed connection). */
struct _AaServerRequest {
  AaServer          *self;
  SoupServerMessage *msg;
  char              *path;          /* relative to /api/v1 */
  const AaServerRoute *route;
  char              *id;
  AaServerStat      *stat;
  gint64             started;
  gboolean           mutating;
  gboolean           paused;
  gboolean           gone;          /* the client went away meanwhile */
  GSource           *source;        /* latency or timeout hold */

  char              *principal;     /* who asks: token and member */
  char              *key;           /* Idempotency-Key */
  char              *fingerprint;
  gboolean           in_flight;     /* we own the in-flight mark of @key */

  AaServerReply      early;         /* decided on arrival, sent after latency */
  gboolean           has_early;
  AaServerRecord    *replay;

  /* A change's answer, held until the change is on disk. */
  AaServerReply      answer;
  GBytes            *answer_body;
  AaFault            fault;
};

struct _AaServer
{
  GObject              parent_instance;

  char                *data_path;
  char                *token;
  GStrv                allowed_hosts;
  guint                generate_notes;
  gboolean             verbose;
  guint                request_timeout_s;
  /* A plain backend, for tests of the client's side: Idempotency-Key is
   * neither required, nor recorded, nor replayed. */
  gboolean             ignore_idempotency_keys;

  AaServerStore       *store;
  SoupServer          *soup;
  GMainContext        *context;
  char                *url;
  gboolean             shut_down;

  AaServerFaults       faults;
  AaServerIdempotency  idempotency;
  AaServerStats        stats;
  AaServerStreams      streams;
  GHashTable          *requests;    /* AaServerRequest* set: everything not yet answered */
  GQueue               changes;     /* AaServerRequest*, arrived, not yet handled */
  AaServerLane         intake;      /* handles them, after waiting reads */
  GHashTable          *admissions;  /* SoupServerMessage* -> its admission, until its body is in */
};

/* aa-server-routes.c */
extern const AaServerRoute aa_server_api_routes[];
extern const guint         aa_server_n_api_routes;
extern const AaServerRoute aa_server_control_routes[];
extern const guint         aa_server_n_control_routes;

const AaServerRoute *aa_server_find_route (const AaServerRoute  *routes,
                                           guint                 n_routes,
                                           const char           *method,
                                           const char           *path,
                                           char                **out_id,
                                           AaServerReply        *reply);
/* 413 and 415, common to every request with a body. */
gboolean  aa_server_check_body            (SoupServerMessage    *msg,
                                           AaServerReply        *reply);
/* Before replaying a change: may the one asking now still make it? */
gboolean  aa_server_may_replay            (AaServer             *self,
                                           AaServerRequest      *req,
                                           AaServerReply        *refusal);

/* aa-server-admission.c */
void      aa_server_admission_start       (AaServer             *self,
                                           SoupServerMessage    *msg);
void      aa_server_admission_stop_all    (AaServer             *self);
GHashTable *aa_server_admission_table_new (void);
gboolean  aa_server_is_authorized         (AaServer             *self,
                                           SoupServerMessage    *msg);
void      aa_server_unauthorized          (AaServerReply        *reply);

/* aa-server-events.c */
void      aa_server_streams_init          (AaServerStreams      *streams);
void      aa_server_streams_clear         (AaServerStreams      *streams);
/* Answers GET /events with a stream that stays open. */
void      aa_server_streams_open          (AaServer             *self,
                                           SoupServerMessage    *msg);
/* Sends the changes the store committed since the last call to every stream. */
void      aa_server_streams_broadcast     (AaServer             *self);
/* Cuts every stream (shutdown, or the demo's "drop-streams"); the clients
 * resume with Last-Event-ID. Returns how many were cut. */
guint     aa_server_streams_close_all     (AaServer             *self);

/* aa-server.c */
gboolean  aa_server_is_mutating          (const char           *method);
void      aa_server_set_response          (SoupServerMessage    *msg,
                                           guint                 status,
                                           GBytes               *body,
                                           const char           *etag,
                                           const char           *allow,
                                           gboolean              replayed);

G_END_DECLS
