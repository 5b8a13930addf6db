// btfvar.h: target variables typed by BTF, for the providers that have
// them (btfvar.c).
#ifndef BTFVAR_H
#define BTFVAR_H

#include "stap.h"

typedef struct BtfVar BtfVar;

// Pass 2: n's members after a root value of BTF type root_type (root: the
// C expression of that value, as an s64).  `what` names the root in
// messages ("tracepoint variable '$prev'").  The type of n, or T_UNKNOWN
// (reported unless use is TV_DEFINED); *out keeps what pass 3 needs.
Type btfvar_resolve(Session *s, Node *n, const char *root, int32_t root_type, const char *what,
		    TargetUse use, BtfVar **out);
// @cast(ptr, "type"[, "module"]) n and its members, typed by the kernel's
// BTF (module "kernel", "kernel<header.h>" or none); keeps what pass 3
// needs in n->target.  The type of n, or T_UNKNOWN as btfvar_resolve.
Type btfvar_cast(Session *s, Node *n, TargetUse use);
// A raw 64-bit register or slot (C expression `raw`) holding a value of
// BTF type `type`, as an s64 of the type's own width: the upper bits of a
// narrower integer are undefined in a register.
const char *btfvar_narrow(Session *s, int32_t type, const char *raw);
// Pass 3: the value (or the pretty-printed string) of a resolved n.
char *btfvar_expr(Gen *G, Node *n, BtfVar *v);
// Pass 3: a value of BTF type `type` pretty-printed ($, or $$ when deep).
char *btfvar_pretty_value(Gen *G, Node *n, const char *value, int32_t type, bool deep);
// Writes (guru mode): only a member in memory can be written.
bool btfvar_writable(Session *s, BtfVar *v);
void btfvar_assign(Gen *G, Node *n, BtfVar *v, const char *value);

#endif
