/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime.h - the one header a generated module includes, after defining
 * STP_MODULE_NAME (and any -D limit overrides).  The runtime is compiled in
 * the same translation unit (everything but api.h and core.h's few
 * declarations is static); or, with -DSTP_RUNTIME_LINKED, it is an object
 * of its own (runtime.c, linked in by stap) and this file gives its API.
 * The contract with the generated code is runtime/README.md.
 */
#ifndef STP_RUNTIME_H
#define STP_RUNTIME_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>

#include "core.h"
#include "api.h"
#ifdef STP_RUNTIME_LINKED
/* the generated file's table, for the runtime object */
struct stp_module *const stp_module_ptr = &stp_module;
#else
#include "transport.c"
#endif
#include "print.c"		/* print buffer API (static: inlined into handlers) */
#ifndef STP_RUNTIME_LINKED
#include "session.c"
#include "probes.c"
#endif

/* Data structures: maps, statistics, printf engine, strings (DATA.md). */
#include "map.h"
#include "stat.h"
#include "format.h"
#include "str.h"
#include "print_out.c"		/* printf engine -> print buffer */

#endif /* STP_RUNTIME_H */
