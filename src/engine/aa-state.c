/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-state"

#include "config.h"

#include <string.h>

#include "aa-state-private.h"

/**
 * AaState:
 *
 * A canonical state of a resource, immutable: what the server confirmed,
 * or what is shown with the pending changes laid on top.
 *
 * Canonical states are flat objects of scalars, so a state keeps its members
 * typed in one allocation (names interned, strings after them) rather than
 * as a [struct@Json.Object] of nodes: 10,000 notes cost a few hundred bytes
 * each instead of thirty allocations. It is shared by reference: a resource
 * with nothing pending shows the very state it confirmed.
 *
 * A state is made from a [struct@Json.Object] with [ctor@State.new], read
 * member by member (`aa_state_get_string()` and the like), and turned back
 * into a new, mutable object with [method@State.dup_object] where one is
 * needed (an operation's optimistic change, an undo, a conflict). A member
 * that is itself an object or an array is kept as its JSON text.
 */

typedef enum {
  KIND_NULL,
  KIND_BOOLEAN,
  KIND_INT,
  KIND_DOUBLE,
  KIND_STRING,
  KIND_JSON,   /* an object or an array, as JSON text */
} Kind;

/* 16 bytes: the name as a quark (interned once for all states). */
typedef struct {
  GQuark      name;
  guint32     kind;   /* a Kind */
  union {
    gint64    i;      /* KIND_BOOLEAN, KIND_INT */
    double    d;
    gsize     offset; /* KIND_STRING, KIND_JSON: from the start of the state */
  } value;
} Member;

G_STATIC_ASSERT (sizeof (Member) == 16);

struct _AaState
{
  gatomicrefcount ref_count;
  guint           n_members;
  Member          members[];
  /* then the strings, each NUL-terminated */
};

G_DEFINE_BOXED_TYPE (AaState, aa_state, aa_state_ref, aa_state_unref)

static const char *
member_text (const AaState *self,
             const Member  *member)
{
  return (const char *) self + member->value.offset;
}

static const Member *
lookup (const AaState *self,
        const char    *name)
{
  for (guint i = 0; i < self->n_members; i++) {
    const Member *member = &self->members[i];
    const char *member_name = g_quark_to_string (member->name);

    if (member_name == name || strcmp (member_name, name) == 0)
      return member;
  }

  return NULL;
}

/* The same, by quark. */
static const Member *
lookup_quark (const AaState *self,
              GQuark         name)
{
  for (guint i = 0; i < self->n_members; i++) {
    if (self->members[i].name == name)
      return &self->members[i];
  }

  return NULL;
}

static Kind
node_kind (JsonNode *node)
{
  switch (json_node_get_node_type (node)) {
  case JSON_NODE_NULL:
    return KIND_NULL;
  case JSON_NODE_VALUE:
    switch (json_node_get_value_type (node)) {
    case G_TYPE_BOOLEAN:
      return KIND_BOOLEAN;
    case G_TYPE_INT64:
      return KIND_INT;
    case G_TYPE_DOUBLE:
      return KIND_DOUBLE;
    case G_TYPE_STRING:
      return KIND_STRING;
    default:
      return KIND_JSON;
    }
  case JSON_NODE_OBJECT:
  case JSON_NODE_ARRAY:
  default:
    return KIND_JSON;
  }
}

/* The quark of a member's name, most often without taking GLib's quark
 * lock: states of one kind have the same members in the same order, so
 * the quark last seen at a position is tried first. A stale or racing
 * entry only fails the comparison. */
#define N_CACHED_NAMES 32
static gint cached_names[N_CACHED_NAMES];

static GQuark
name_quark (guint       position,
            const char *name)
{
  GQuark quark;

  if (position < N_CACHED_NAMES) {
    quark = (GQuark) g_atomic_int_get (&cached_names[position]);
    if (quark != 0 && strcmp (g_quark_to_string (quark), name) == 0)
      return quark;
  }

  quark = g_quark_from_string (name);
  if (position < N_CACHED_NAMES)
    g_atomic_int_set (&cached_names[position], (gint) quark);
  return quark;
}

/* A member read from the object, before the state is allocated. */
typedef struct {
  const char *name;
  JsonNode   *node;
  Kind        kind;
  const char *text;    /* KIND_STRING, KIND_JSON */
  char       *owned;   /* KIND_JSON: the text, to free */
  gsize       length;  /* of text, with its NUL */
} Reading;

/**
 * aa_state_new:
 * @object: a canonical state: a flat object of scalars (members that are
 *   objects or arrays are kept too, as JSON text)
 *
 * Makes an immutable copy of @object, its members in its order.
 *
 * Returns: (transfer full): a new state
 */
AaState *
aa_state_new (JsonObject *object)
{
  Reading on_stack[16];
  g_autofree Reading *on_heap = NULL;
  Reading *readings = on_stack;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint n_members;
  gsize size = 0;
  AaState *self;
  char *strings;

  g_return_val_if_fail (object != NULL, NULL);

  /* One pass to read the members and size the state: one allocation for
   * the members and their strings. */
  n_members = json_object_get_size (object);
  if (n_members > G_N_ELEMENTS (on_stack))
    readings = on_heap = g_new (Reading, n_members);

  n_members = 0;
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node)) {
    Reading *reading = &readings[n_members++];

    reading->name = name;
    reading->node = node;
    reading->kind = node_kind (node);
    reading->owned = NULL;
    reading->text = NULL;
    if (reading->kind == KIND_STRING)
      reading->text = json_node_get_string (node);
    else if (reading->kind == KIND_JSON)
      reading->text = reading->owned = json_to_string (node, FALSE);
    if (reading->text != NULL) {
      reading->length = strlen (reading->text) + 1;
      size += reading->length;
    }
  }

  self = g_malloc (sizeof (AaState) + n_members * sizeof (Member) + size);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_members = n_members;
  strings = (char *) &self->members[n_members];

  for (guint i = 0; i < n_members; i++) {
    Reading *reading = &readings[i];
    Member *member = &self->members[i];

    member->name = name_quark (i, reading->name);
    member->kind = reading->kind;
    switch (reading->kind) {
    case KIND_BOOLEAN:
      member->value.i = json_node_get_boolean (reading->node);
      break;
    case KIND_INT:
      member->value.i = json_node_get_int (reading->node);
      break;
    case KIND_DOUBLE:
      member->value.d = json_node_get_double (reading->node);
      break;
    case KIND_STRING:
    case KIND_JSON:
      memcpy (strings, reading->text, reading->length);
      member->value.offset = strings - (char *) self;
      strings += reading->length;
      g_free (reading->owned);
      break;
    case KIND_NULL:
    default:
      member->value.i = 0;
      break;
    }
  }

  return self;
}

/**
 * aa_state_ref:
 * @self: a state
 *
 * Takes a reference on the state.
 *
 * Returns: (transfer full): @self
 */
AaState *
aa_state_ref (AaState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * aa_state_unref:
 * @self: (transfer full): a state
 *
 * Drops a reference; the last one frees it.
 */
void
aa_state_unref (AaState *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

/**
 * aa_state_has_member:
 * @self: a state
 * @name: a member's name
 *
 * Says whether the state has a member.
 *
 * Returns: %TRUE when @self has a member @name (null or not)
 */
gboolean
aa_state_has_member (AaState    *self,
                     const char *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return lookup (self, name) != NULL;
}

/**
 * aa_state_get_string:
 * @self: a state
 * @name: a member's name
 * @default_value: (nullable): what to return when it is absent or not a string
 *
 * Gets a string member of the state.
 *
 * Returns: (nullable) (transfer none): the string, owned by @self
 */
const char *
aa_state_get_string (AaState    *self,
                     const char *name,
                     const char *default_value)
{
  const Member *member;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  member = lookup (self, name);
  if (member == NULL || member->kind != KIND_STRING)
    return default_value;
  return member_text (self, member);
}

/**
 * aa_state_get_boolean:
 * @self: a state
 * @name: a member's name
 * @default_value: what to return when it is absent or not a boolean or a number
 *
 * Gets a boolean member of the state.
 *
 * Returns: the boolean (a number is %TRUE when not zero, as json-glib reads it)
 */
gboolean
aa_state_get_boolean (AaState    *self,
                      const char *name,
                      gboolean    default_value)
{
  const Member *member;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  member = lookup (self, name);
  if (member == NULL)
    return default_value;

  switch (member->kind) {
  case KIND_BOOLEAN:
  case KIND_INT:
    return member->value.i != 0;
  case KIND_DOUBLE:
    return member->value.d != 0.0;
  default:
    return default_value;
  }
}

/**
 * aa_state_get_int:
 * @self: a state
 * @name: a member's name
 * @default_value: what to return when it is absent or not a number or a boolean
 *
 * Gets an integer member of the state.
 *
 * Returns: the integer (a double is truncated, as json-glib reads it)
 */
gint64
aa_state_get_int (AaState    *self,
                  const char *name,
                  gint64      default_value)
{
  const Member *member;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  member = lookup (self, name);
  if (member == NULL)
    return default_value;

  switch (member->kind) {
  case KIND_BOOLEAN:
  case KIND_INT:
    return member->value.i;
  case KIND_DOUBLE:
    return (gint64) member->value.d;
  default:
    return default_value;
  }
}

/**
 * aa_state_get_double:
 * @self: a state
 * @name: a member's name
 * @default_value: what to return when it is absent or not a number or a boolean
 *
 * Gets a number member of the state.
 *
 * Returns: the number
 */
double
aa_state_get_double (AaState    *self,
                     const char *name,
                     double      default_value)
{
  const Member *member;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  member = lookup (self, name);
  if (member == NULL)
    return default_value;

  switch (member->kind) {
  case KIND_BOOLEAN:
  case KIND_INT:
    return (double) member->value.i;
  case KIND_DOUBLE:
    return member->value.d;
  default:
    return default_value;
  }
}

static JsonNode *
member_to_node (const AaState *self,
                const Member  *member)
{
  switch (member->kind) {
  case KIND_BOOLEAN:
    return json_node_init_boolean (json_node_alloc (), member->value.i != 0);
  case KIND_INT:
    return json_node_init_int (json_node_alloc (), member->value.i);
  case KIND_DOUBLE:
    return json_node_init_double (json_node_alloc (), member->value.d);
  case KIND_STRING:
    return json_node_init_string (json_node_alloc (), member_text (self, member));
  case KIND_JSON:
    {
      JsonNode *node = json_from_string (member_text (self, member), NULL);

      /* Written by json_to_string() itself: it reads back. */
      if (node != NULL)
        return node;
    }
    G_GNUC_FALLTHROUGH;
  case KIND_NULL:
  default:
    return json_node_init_null (json_node_alloc ());
  }
}

/**
 * aa_state_dup_member:
 * @self: a state
 * @name: a member's name
 *
 * Gets a member of the state as a JSON node.
 *
 * Returns: (transfer full) (nullable): a new node with the member's value,
 *   or %NULL when @self has no member @name
 */
JsonNode *
aa_state_dup_member (AaState    *self,
                     const char *name)
{
  const Member *member;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  member = lookup (self, name);
  return member != NULL ? member_to_node (self, member) : NULL;
}

/**
 * aa_state_dup_object:
 * @self: a state
 *
 * Makes a new, mutable object of the state, its members in order: what an
 * operation changes to show a pending change, or an undo reads.
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
aa_state_dup_object (AaState *self)
{
  JsonObject *object;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  for (guint i = 0; i < self->n_members; i++)
    json_object_set_member (object, g_quark_to_string (self->members[i].name),
                            member_to_node (self, &self->members[i]));

  return object;
}

static gboolean
member_equal (const AaState *self,
              const Member  *member,
              const AaState *other,
              const Member  *other_member)
{
  if (member->kind != other_member->kind)
    return FALSE;

  switch (member->kind) {
  case KIND_NULL:
    return TRUE;
  case KIND_BOOLEAN:
  case KIND_INT:
    return member->value.i == other_member->value.i;
  case KIND_DOUBLE:
    return member->value.d == other_member->value.d;
  case KIND_STRING:
  case KIND_JSON:
  default:
    return strcmp (member_text (self, member), member_text (other, other_member)) == 0;
  }
}

/**
 * aa_state_member_equal:
 * @self: a state
 * @other: another state
 * @name: a member's name
 *
 * What a resource class's `render` asks to notify only the properties
 * whose value changed.
 *
 * Returns: %TRUE when both have the member @name with the same value, or
 *   neither has it
 */
gboolean
aa_state_member_equal (AaState    *self,
                       AaState    *other,
                       const char *name)
{
  const Member *member, *other_member;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (other != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  member = lookup (self, name);
  other_member = lookup (other, name);
  if (member == NULL || other_member == NULL)
    return member == other_member;
  return member_equal (self, member, other, other_member);
}

/**
 * aa_state_equal:
 * @self: a state
 * @other: another state
 *
 * Compares two states.
 *
 * Returns: %TRUE when both have the same members with the same values,
 *   in whatever order
 */
gboolean
aa_state_equal (AaState *self,
                AaState *other)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (other != NULL, FALSE);

  if (self == other)
    return TRUE;
  if (self->n_members != other->n_members)
    return FALSE;

  for (guint i = 0; i < self->n_members; i++) {
    const Member *member = &self->members[i];
    /* Usually in the same order. */
    const Member *other_member = other->members[i].name == member->name ? &other->members[i]
                                                                         : lookup_quark (other, member->name);

    if (other_member == NULL || !member_equal (self, member, other, other_member))
      return FALSE;
  }

  return TRUE;
}

char *
_aa_state_dup_id (AaState *state)
{
  const char *id;

  g_return_val_if_fail (state != NULL, NULL);

  if (!aa_state_has_member (state, "id"))
    return NULL;
  id = aa_state_get_string (state, "id", NULL);
  if (id != NULL)
    return g_strdup (id);
  return g_strdup_printf ("%" G_GINT64_FORMAT, aa_state_get_int (state, "id", 0));
}
