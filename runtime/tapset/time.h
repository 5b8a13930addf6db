/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/time.h - clocks and ctime() for the time tapset.
 *
 * Clocks are read with the NMI-safe accessors: a probe may hit inside the
 * timekeeping code, where the seqcount readers would spin forever.
 */
#ifndef STP_TAPSET_TIME_H
#define STP_TAPSET_TIME_H

#include <linux/timekeeping.h>
#include <linux/sched/clock.h>
#include <linux/cpumask.h>

#define STP_MSG_TIME_FUTURE	"Time too far in the future to be converted"
#define STP_MSG_TIME_PAST	"Time too far in the past to be converted"

/* ctime() accepts what a 32-bit time_t holds, as SystemTap 4.8 does. */
#define STP_CTIME_MIN		(-2147483647LL - 1)
#define STP_CTIME_MAX		2147483647LL

/*
 * "Thu Jan  1 00:00:00 1970" (asctime() without the newline) for secs
 * since the epoch, UTC.  Returns NULL, or the error message when secs is
 * out of range.
 */
static __maybe_unused const char *stp_ctime(char *dst, s64 secs)
{
	static const char wday[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	s64 days, rem, era, doe, yoe, doy, mp, year, month, mday;

	if (secs > STP_CTIME_MAX)
		return STP_MSG_TIME_FUTURE;
	if (secs < STP_CTIME_MIN)
		return STP_MSG_TIME_PAST;
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* days since 0000-03-01 in 400-year eras: the leap day ends a year */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	mday = doy - (153 * mp + 2) / 5 + 1;
	month = mp < 10 ? mp + 3 : mp - 9;
	year = yoe + era * 400 + (month <= 2);
	snprintf(dst, MAXSTRINGLEN, "%s %s %2lld %02lld:%02lld:%02lld %lld",
		 wday[((days - 719468) % 7 + 11) % 7], mon[month - 1], mday,
		 rem / 3600, rem / 60 % 60, rem % 60, year);
	return NULL;
}

/* cpu_clock(cpu) for a possible CPU; false for any other number. */
static __maybe_unused bool stp_cpu_clock(s64 cpu, s64 *ns)
{
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return false;
	*ns = cpu_clock(cpu);
	return true;
}

#endif /* STP_TAPSET_TIME_H */
