/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

/* Every symbol of the library is hidden (gnu_symbol_visibility: 'hidden'),
 * except the declarations marked with one of these: the ABI is exactly the
 * public headers. A new public function is declared as
 *
 *   AA_AVAILABLE_IN_ALL
 *   void aa_thing_do (AaThing *self);
 *
 * and a new type with AA_AVAILABLE_IN_ALL before its G_DECLARE_*_TYPE.
 * Private functions go in an aa-*-private.h header without the macro. */

#if defined(_WIN32) || defined(__CYGWIN__)
# define _AA_EXTERN __declspec(dllexport) extern
#elif defined(__GNUC__)
# define _AA_EXTERN __attribute__((visibility("default"))) extern
#else
# define _AA_EXTERN extern
#endif

/**
 * AA_AVAILABLE_IN_ALL:
 *
 * Marks a symbol as part of the library's ABI since its first version.
 */
#define AA_AVAILABLE_IN_ALL _AA_EXTERN
