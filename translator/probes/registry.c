// registry.c: every probe point family.  Adding one = one file in this
// folder + one line here.
#include "stap.h"

extern const Provider provider_begin_end, provider_never, provider_timer, provider_kprobe,
	provider_procfs, provider_tracepoint, provider_kfunc;

const Provider *const providers[] = {
	&provider_begin_end,
	&provider_never,
	&provider_timer,
	&provider_kprobe,
	&provider_procfs,
	&provider_tracepoint,
	&provider_kfunc,
	NULL,
};
