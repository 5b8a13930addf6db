/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/string.h - the string tapset's state: tokenize() remembers the
 * string it splits, per CPU (event probes run with interrupts off, so a
 * probe run keeps its CPU) and once for the session context
 * (begin/end/error probes, which run one at a time).  The helpers
 * themselves are in runtime/str.h.
 */
#ifndef STP_TAPSET_STRING_H
#define STP_TAPSET_STRING_H

#include <linux/percpu.h>

static DEFINE_PER_CPU(struct stp_tok_state, stp_tok_pcpu);
static struct stp_tok_state stp_tok_session;

static inline struct stp_tok_state *stp_tok_state(struct context *c)
{
	if (c->cpu >= nr_cpu_ids)
		return &stp_tok_session;
	return this_cpu_ptr(&stp_tok_pcpu);
}

#endif /* STP_TAPSET_STRING_H */
