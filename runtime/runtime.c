// SPDX-License-Identifier: GPL-2.0
/*
 * runtime.c - the runtime as an object of its own, compiled once per
 * kernel, compiler, -D options and runtime sources and linked into every
 * module (translator/build.c); the generated file is then compiled with
 * -DSTP_RUNTIME_LINKED and gets only the API from runtime.h.
 *
 * The probe families (probe_*.c) are objects of their own too, each
 * linked only into the modules that have such probes (stp_rt_FAMILY.c:
 * runtime_obj.h, then the family's file).
 *
 * The same object serves modules of any name: the module's name is
 * THIS_MODULE->name here, and the generated file's struct stp_module is
 * reached through stp_module_ptr.  Kbuild compiles it as a part of the
 * first module (-DKBUILD_MODNAME=that one); undefined here, any use of it
 * (pr_debug(), ...) is a compile error rather than the first module's name
 * in every other one.
 */
#include "runtime_obj.h"
#include "transport.c"
#include "print.c"
#include "session.c"
#include "probes.c"
