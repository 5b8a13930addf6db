/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/random.h - randint(): a per-CPU xorshift64* generator, seeded
 * at its first use from the CPU's clocks.  Lock-free, so it works in any
 * probe context (also NMI, where get_random_*() may not be called).
 */
#ifndef STP_TAPSET_RANDOM_H
#define STP_TAPSET_RANDOM_H

#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>

#define STP_RANDINT_MAX		1048576

static DEFINE_PER_CPU(u64, stp_random_state);

static __maybe_unused u64 stp_random_u64(void)
{
	u64 *state = this_cpu_ptr(&stp_random_state);
	u64 x = *state;

	if (unlikely(!x)) {	/* seed: splitmix64 of the clocks */
		x = local_clock() ^ ((u64)get_cycles() << 17) ^ raw_smp_processor_id();
		x += 0x9e3779b97f4a7c15ULL;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		x ^= x >> 31;
		if (!x)
			x = 1;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in 0 .. n - 1 for 0 < n <= 2^32; 0 for n == 0. */
static __maybe_unused s64 stp_random_below(s64 n)
{
	return (s64)(((stp_random_u64() >> 32) * (u64)n) >> 32);
}

#endif /* STP_TAPSET_RANDOM_H */
