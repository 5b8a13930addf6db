/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime.h - the one header a generated module includes, after defining
 * STP_MODULE_NAME (and any -D limit overrides).  The runtime is compiled in
 * the same translation unit: everything here is static.
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
#include "transport.c"
#include "print.c"
#include "session.c"
#include "probes.c"

/* Data structures: maps, statistics, printf engine, strings (DATA.md). */
#include "map.h"
#include "stat.h"
#include "format.h"
#include "str.h"
#include "print_out.c"		/* printf engine -> print buffer */

#endif /* STP_RUNTIME_H */
