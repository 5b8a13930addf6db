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

/*
 * The data-structure code (map.h, stat.h, format.h, str.h) is not included
 * here: the generated file includes the headers it needs after this one.
 */

#endif /* STP_RUNTIME_H */
