/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime_obj.h - what every object of the runtime starts with: the core
 * (runtime.c) and each probe family (probe_*.c, wrapped by stap as
 * stp_rt_FAMILY.c).  See runtime.c.
 */
#ifndef STP_RUNTIME_OBJ_H
#define STP_RUNTIME_OBJ_H

#undef KBUILD_MODNAME
#undef __KBUILD_MODNAME
#define STP_RUNTIME_OBJ 1
#define STP_MODULE_NAME (THIS_MODULE->name)

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>

#include "core.h"
#include "api.h"

#endif /* STP_RUNTIME_OBJ_H */
