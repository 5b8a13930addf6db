// SPDX-License-Identifier: GPL-2.0
/*
 * runtime.c - the runtime as an object of its own, compiled once per
 * kernel, compiler, -D options and runtime sources and linked into every
 * module (translator/build.c); the generated file is then compiled with
 * -DSTP_RUNTIME_LINKED and gets only the API from runtime.h.
 *
 * The same object serves modules of any name: the module's name is
 * THIS_MODULE->name here, and the generated file's struct stp_module is
 * reached through stp_module_ptr.  Kbuild compiles it as a part of the
 * first module (-DKBUILD_MODNAME=that one); undefined here, any use of it
 * (pr_debug(), ...) is a compile error rather than the first module's name
 * in every other one.
 */
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
#include "transport.c"
#include "print.c"
#include "session.c"
#include "probes.c"
