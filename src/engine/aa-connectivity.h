#pragma once

#include <gio/gio.h>

#include "aa-event-stream.h"
#include "aa-rest-client.h"
#include "aa-types.h"

G_BEGIN_DECLS

#define AA_TYPE_CONNECTIVITY (aa_connectivity_get_type ())

G_DECLARE_FINAL_TYPE (AaConnectivity, aa_connectivity, AA, CONNECTIVITY, GObject)

AaConnectivity *aa_connectivity_new                    (AaRestClient   *client);
gboolean        aa_connectivity_get_reachable          (AaConnectivity *self);
gint64          aa_connectivity_get_unreachable_since  (AaConnectivity *self);
gboolean        aa_connectivity_get_probing            (AaConnectivity *self);
guint           aa_connectivity_get_n_probes           (AaConnectivity *self);
const char     *aa_connectivity_get_probe_path         (AaConnectivity *self);
void            aa_connectivity_set_probe_path         (AaConnectivity *self,
                                                        const char     *path);
void            aa_connectivity_set_backoff            (AaConnectivity *self,
                                                        guint           min_ms,
                                                        guint           max_ms);
void            aa_connectivity_follow_event_stream    (AaConnectivity *self,
                                                        AaEventStream  *stream);
void            aa_connectivity_report_unreachable     (AaConnectivity *self);
void            aa_connectivity_report_reachable       (AaConnectivity *self);
void            aa_connectivity_check                  (AaConnectivity *self);

G_END_DECLS
