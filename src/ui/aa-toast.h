#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * AaToastPriority:
 * @AA_TOAST_PRIORITY_NORMAL: waits its turn in the queue.
 * @AA_TOAST_PRIORITY_HIGH: shown at once; the current toast goes back to the
 *   head of the queue.
 */
typedef enum {
  AA_TOAST_PRIORITY_NORMAL,
  AA_TOAST_PRIORITY_HIGH,
} AaToastPriority;

#define AA_TYPE_TOAST (aa_toast_get_type ())

G_DECLARE_FINAL_TYPE (AaToast, aa_toast, AA, TOAST, GObject)

/*
 * A toast: data only, shown by AaToastOverlay. Properties "title",
 * "use-markup" (FALSE: the title is plain text), "button-label",
 * "action-name", "action-target", "priority" and "timeout" (seconds, 5 by
 * default, 0 keeps it until dismissed).
 *
 * Signals: "button-clicked" (after the action, if any, was activated) and
 * "dismissed" (once, however it left: timeout, close button, Escape, the
 * button, or aa_toast_dismiss()).
 */
AaToast         *aa_toast_new               (const char      *title);

const char      *aa_toast_get_title         (AaToast         *self);
void             aa_toast_set_title         (AaToast         *self,
                                             const char      *title);
gboolean         aa_toast_get_use_markup    (AaToast         *self);
void             aa_toast_set_use_markup    (AaToast         *self,
                                             gboolean         use_markup);
const char      *aa_toast_get_button_label  (AaToast         *self);
void             aa_toast_set_button_label  (AaToast         *self,
                                             const char      *button_label);
const char      *aa_toast_get_action_name   (AaToast         *self);
void             aa_toast_set_action_name   (AaToast         *self,
                                             const char      *action_name);
GVariant        *aa_toast_get_action_target (AaToast         *self);
void             aa_toast_set_action_target (AaToast         *self,
                                             GVariant        *action_target);
AaToastPriority  aa_toast_get_priority      (AaToast         *self);
void             aa_toast_set_priority      (AaToast         *self,
                                             AaToastPriority  priority);
guint            aa_toast_get_timeout       (AaToast         *self);
void             aa_toast_set_timeout       (AaToast         *self,
                                             guint            timeout);

void             aa_toast_dismiss           (AaToast         *self);

G_END_DECLS
