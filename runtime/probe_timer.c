// SPDX-License-Identifier: GPL-2.0
/*
 * probe_timer.c - timer.{ns,us,ms,s,sec}(N) on hrtimers, timer.{jiffies,hz}(N)
 * on timer_list; .randomize(M) adds a uniform -M..+M to every period.
 * Each timer fires on the CPU that armed it, like SystemTap's.
 */
#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/random.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define stp_timer_delete_sync(t) timer_delete_sync(t)
#else
#define stp_timer_delete_sync(t) del_timer_sync(t)
#endif

#define STP_TIMER_CATCHUP 1000

static u64 stp_timer_next(struct stp_timer_probe *t)
{
	u64 p = t->period;

	if (t->randomize) {
		u64 r = get_random_u32() % (2 * t->randomize + 1);

		p = p + r > t->randomize ? p + r - t->randomize : 1;
	}
	return p ? p : 1;
}

static enum hrtimer_restart stp_hrtimer_fn(struct hrtimer *hr)
{
	struct stp_timer_probe *t = container_of(hr, struct stp_timer_probe, hr);
	u64 next;

	stp_run_probe(t->probe, NULL, NULL, NULL, NULL);
	if (READ_ONCE(t->stopping))
		return HRTIMER_NORESTART;
	/*
	 * The next period starts where this one should have ended, not now:
	 * a late hit is made up for, so timer.us(100) fires 10000 times a
	 * second on average, as in SystemTap.  After a long stall (more than
	 * STP_TIMER_CATCHUP periods behind) the missed ones are dropped.
	 */
	next = stp_timer_next(t);
	hrtimer_add_expires_ns(hr, next);
	if (ktime_before(ktime_add_ns(hrtimer_get_expires(hr), STP_TIMER_CATCHUP * next),
			 hrtimer_cb_get_time(hr)))
		hrtimer_forward_now(hr, ns_to_ktime(next));
	return HRTIMER_RESTART;
}

static void stp_jtimer_fn(struct timer_list *tl)
{
	struct stp_timer_probe *t = container_of(tl, struct stp_timer_probe, tl);

	stp_run_probe(t->probe, NULL, NULL, NULL, NULL);
	if (!READ_ONCE(t->stopping))
		mod_timer(tl, jiffies + stp_timer_next(t));
}

static void stp_timer_unregister_one(struct stp_timer_probe *t)
{
	if (!t->armed)
		return;
	WRITE_ONCE(t->stopping, true);
	if (t->kind == STP_TIMER_HR)
		hrtimer_cancel(&t->hr);
	else
		stp_timer_delete_sync(&t->tl);
	t->armed = false;
}

static void stp_timer_register_one(struct stp_timer_probe *t)
{
	t->stopping = false;
	if (t->kind == STP_TIMER_HR) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
		hrtimer_setup(&t->hr, stp_hrtimer_fn, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL);
#else
		hrtimer_init(&t->hr, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		t->hr.function = stp_hrtimer_fn;
#endif
		hrtimer_start(&t->hr, ns_to_ktime(stp_timer_next(t)),
			      HRTIMER_MODE_REL);
	} else {
		timer_setup(&t->tl, stp_jtimer_fn, 0);
		mod_timer(&t->tl, jiffies + stp_timer_next(t));
	}
	t->armed = true;
}

static void stp_timers_unregister(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.ntimers; i++)
		stp_timer_unregister_one(&stp_module.timers[i]);
}

/* Timers cannot fail to arm. */
static int stp_timers_register(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.ntimers; i++)
		stp_timer_register_one(&stp_module.timers[i]);
	return 0;
}

STP_FAMILY(timer) = {
	.reg = stp_timers_register,
	.unreg = stp_timers_unregister,
	.report = NULL,
};
