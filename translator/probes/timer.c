// timer.c: timer.{s,sec,ms,msec,us,usec,ns,nsec}(N)[.randomize(M)] on
// hrtimers, timer.{jiffies,hz}(N) on the jiffies clock, timer.profile.tick.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

static const char *const timer_patterns[] = {
	"timer.s(number)", "timer.s(number).randomize(number)",
	"timer.sec(number)", "timer.sec(number).randomize(number)",
	"timer.ms(number)", "timer.ms(number).randomize(number)",
	"timer.msec(number)", "timer.msec(number).randomize(number)",
	"timer.us(number)", "timer.us(number).randomize(number)",
	"timer.usec(number)", "timer.usec(number).randomize(number)",
	"timer.ns(number)", "timer.ns(number).randomize(number)",
	"timer.nsec(number)", "timer.nsec(number).randomize(number)",
	"timer.jiffies(number)", "timer.jiffies(number).randomize(number)",
	"timer.hz(number)",
	"timer.profile.tick",
	NULL,
};

// Units in nanoseconds and SystemTap's bounds (in the unit written).
static const struct {
	const char *unit;
	int64_t ns;
	int64_t min, max;
} units[] = {
	{"s", 1000000000, 1, 86400},
	{"sec", 1000000000, 1, 86400},
	{"ms", 1000000, 1, 86400000},
	{"msec", 1000000, 1, 86400000},
	{"us", 1000, 100, 86400000000},
	{"usec", 1000, 100, 86400000000},
	{"ns", 1, 100000, 86400000000000},
	{"nsec", 1, 100000, 86400000000000},
};

static bool fail(Probe *p, Node *at, const char *fmt, const char *detail)
{
	return probe_error(p, at ? at->tok : NULL, fmt, detail);
}

// p->flags: TIMER_HR, TIMER_JIFFIES, TIMER_PROFILE; arg[0] period (ns or
// jiffies; for hz: the frequency with arg[2] = 1), arg[1] randomize.
static bool timer_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	Node *c1 = VEC_AT(&p->point->components, 1);
	const char *unit = c1->name;
	if (!strcmp(unit, "profile")) {
		// the runtime's tick is a 1 kHz cpu-clock perf event per CPU, and
		// SystemTap 4.8 names it so (pp())
		p->flags = 2;
		p->pp = arena_printf("perf.type(1).config(0).sample(1000000)%s", p->pp + strcspn(p->pp, "!?"));
		vec_push(out, p);
		return true;
	}
	Node *n = point_arg(p->point, 1);
	Node *r = point_arg(p->point, 2);
	int64_t v = n->num;
	if (!strcmp(unit, "jiffies") || !strcmp(unit, "hz")) {
		p->flags = 1;
		if (!strcmp(unit, "hz")) {
			if (v <= 0)
				return fail(p, n, "frequency must be greater than 0%s", "");
			if (1000000000 / v < 100000 || v > 1000000000)
				return fail(p, n, "interval value out of range (100000, 86400000000000)%s", "");
			p->arg[2] = 1;
		} else if (v <= 0 || v > 1000000) {
			return fail(p, n, "invalid interval for jiffies timer%s", "");
		}
		p->arg[0] = v;
	} else {
		p->flags = 0;
		size_t i = 0;
		while (strcmp(units[i].unit, unit))
			i++;
		if (v < units[i].min || v > units[i].max)
			return fail(p, n, "interval value out of range %s",
				    arena_printf("(%lld, %lld)", (long long)units[i].min,
						 (long long)units[i].max));
		p->arg[0] = v * units[i].ns;
	}
	if (r) {
		if (r->num < 0 || r->num > v)
			return fail(p, r, "randomization value out of range%s", "");
		if (p->flags == 0) {
			size_t i = 0;
			while (strcmp(units[i].unit, unit))
				i++;
			p->arg[1] = r->num * units[i].ns;
		} else {
			p->arg[1] = r->num;
		}
	}
	vec_push(out, p);
	return true;
}

// Timers go to stp_timers (hrtimer / jiffies); timer.profile.tick to
// stp_profiles.
static const char *timer_emit(Session *s, Buf *b, Vec *probes)
{
	Buf fields = {0};
	int ntimers = 0, nprof = 0;
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		if (p->flags == 2)
			nprof++;
		else
			ntimers++;
	}
	if (ntimers) {
		buf_puts(b, "static struct stp_timer_probe stp_timers[] = {\n");
		for (int i = 0; i < probes->len; i++) {
			Probe *p = VEC_AT(probes, i);
			if (p->flags == 2)
				continue;
			if (p->flags == 1 && p->arg[2])	// timer.hz(N): HZ / N jiffies
				buf_printf(b, "\t{ .probe = &stp_probes[%d], .kind = STP_TIMER_JIFFIES, "
					   ".period = (HZ / %lld) ? (HZ / %lld) : 1 },\n",
					   p->index, (long long)p->arg[0], (long long)p->arg[0]);
			else
				buf_printf(b, "\t{ .probe = &stp_probes[%d], .kind = %s, .period = %lldULL, "
					   ".randomize = %lldULL },\n", p->index,
					   p->flags ? "STP_TIMER_JIFFIES" : "STP_TIMER_HR",
					   (long long)p->arg[0], (long long)p->arg[1]);
		}
		buf_puts(b, "};\n");
		buf_puts(&fields, ".timers = stp_timers, .ntimers = ARRAY_SIZE(stp_timers),");
		s->rt_families |= 1u << RT_FAM_TIMER;
	}
	if (nprof) {
		buf_puts(b, "static struct stp_profile_probe stp_profiles[] = {\n");
		for (int i = 0; i < probes->len; i++) {
			Probe *p = VEC_AT(probes, i);
			if (p->flags == 2)
				buf_printf(b, "\t{ .probe = &stp_probes[%d] },\n", p->index);
		}
		buf_puts(b, "};\n");
		buf_puts(&fields, " .profiles = stp_profiles, .nprofiles = ARRAY_SIZE(stp_profiles),");
		s->rt_families |= 1u << RT_FAM_PROFILE;
	}
	const char *r = arena_strdup(fields.s ? fields.s : "");
	free(fields.s);
	return r;
}

const Provider provider_timer = {
	.name = "timer",
	.patterns = timer_patterns,
	.derive = timer_derive,
	.emit = timer_emit,
};
