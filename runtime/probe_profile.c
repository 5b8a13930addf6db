// SPDX-License-Identifier: GPL-2.0
/*
 * probe_profile.c - timer.profile: like SystemTap 4.8, a software cpu-clock
 * perf event with a 1 ms period on every online CPU; the handler gets the
 * interrupted registers.  CPUs coming online later are not covered.
 */
#include <linux/perf_event.h>
#include <linux/cpu.h>

#define STP_PROFILE_PERIOD_NS 1000000ULL

static void stp_profile_fn(struct perf_event *ev, struct perf_sample_data *data,
			   struct pt_regs *regs)
{
	struct stp_profile_probe *pp = ev->overflow_handler_context;

	stp_run_probe(pp->probe, regs, NULL, NULL, NULL);
}

static void stp_profile_unregister_one(struct stp_profile_probe *pp)
{
	unsigned int cpu;

	if (!pp->events)
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (pp->events[cpu])
			perf_event_release_kernel(pp->events[cpu]);
	kfree(pp->events);
	pp->events = NULL;
}

static int stp_profile_register_one(struct stp_profile_probe *pp)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.size = sizeof(attr),
		.sample_period = STP_PROFILE_PERIOD_NS,
		.pinned = 1,
	};
	unsigned int cpu;
	int rc = 0;

	pp->events = kcalloc(nr_cpu_ids, sizeof(*pp->events), GFP_KERNEL);
	if (!pp->events)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&attr, cpu, NULL,
						      stp_profile_fn, pp);
		if (IS_ERR(ev)) {
			rc = PTR_ERR(ev);
			break;
		}
		pp->events[cpu] = ev;
	}
	cpus_read_unlock();
	if (rc)
		stp_profile_unregister_one(pp);
	return rc;
}

static void stp_profiles_unregister(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.nprofiles; i++)
		stp_profile_unregister_one(&stp_module.profiles[i]);
}

static int stp_profiles_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < stp_module.nprofiles; i++) {
		struct stp_profile_probe *pp = &stp_module.profiles[i];

		rc = stp_profile_register_one(pp);
		if (rc) {
			stp_probe_reg_error(pp->probe, false, rc);
			stp_profiles_unregister();
			return rc;
		}
	}
	return 0;
}

STP_FAMILY(profile) = {
	.reg = stp_profiles_register,
	.unreg = stp_profiles_unregister,
	.report = NULL,
};
