/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stat.h - statistics (`s <<< v`, @count @sum @min @max @avg @variance,
 * @hist_log, @hist_linear) with SystemTap 4.8's integer arithmetic.
 *
 * One accumulation is a struct stp_stat_data followed by its histogram
 * buckets (stp_stat_dsize() bytes).  A scalar statistic (struct stp_stat)
 * keeps one per cpu (real per-cpu data in the kernel) and merges them into
 * an aggregate on read.  Statistic-valued map entries use the same data
 * (see map.h: per-cpu maps merged into an aggregate map).
 *
 * Nothing here allocates after stp_stat_init().
 */
#ifndef _STP_STAT_H_
#define _STP_STAT_H_

#include "userspace-shim.h"
#include "format.h"

enum stp_hist_type { STP_HIST_NONE, STP_HIST_LOG, STP_HIST_LINEAR };

#define STP_HIST_LOG_BUCKETS	128	/* -2^63 .. -1, 0, 1 .. 2^62 */
#define STP_HIST_MAX_LINEAR	126	/* payload buckets: (stop - start) / interval + 1 */
#define STP_HIST_ELISION	2	/* zero rows kept around data / runs */
#define STP_HIST_WIDTH		50	/* columns of '@' */

struct stp_hist {
	u8 type;		/* enum stp_hist_type */
	u32 nbuckets;		/* log: 128; linear: payload + 2 (under/overflow) */
	s64 start, stop, interval;	/* linear only */
};

/* which optional work <<< does (the translator knows what is read) */
#define STP_STAT_VARIANCE	0x01

struct stp_stat_data {
	s64 count, sum, min, max;
	s64 avg_s;		/* running average, scaled by 2^shift */
	s64 m2;			/* Welford's sum of squares */
	s64 variance_s;		/* m2 / (count - 1) after each add */
	s64 hist[];		/* hist.nbuckets counters */
};

struct stp_stat {		/* a scalar statistic global */
	struct stp_hist hist;
	u8 ops;			/* STP_STAT_* */
	u8 shift;		/* @variance(s, shift) */
	u32 dsize;		/* bytes of one stp_stat_data with buckets */
	void __percpu *pcpu;	/* per-cpu struct stp_stat_data */
	struct stp_stat_data *agg;	/* merged on read */
};

/* the extractors */
enum stp_stat_op { STP_STAT_COUNT, STP_STAT_SUM, STP_STAT_MIN, STP_STAT_MAX,
		   STP_STAT_AVG, STP_STAT_VAR };

/* error messages (stp_error(c, where, msg)) */
#define STP_MSG_EMPTY_AGG	"empty aggregate"
#define STP_MSG_HIST_INDEX	"histogram index out of range"
/* a bad @hist_linear is reported at module load as a warning with this
 * text, then "ERROR: global variable '__global_NAME' allocation failed" */
#define STP_MSG_HIST_BUCKETS	"histogram: Number of buckets must be between 1 and 126\n" \
				"Number_of_buckets = (stop - start) / interval.\n" \
				"Please adjust your start, stop, and interval values."

/* histogram definitions: 0, or -1 with *errmsg = STP_MSG_HIST_BUCKETS */
static void stp_hist_log(struct stp_hist *h);
static int stp_hist_linear(struct stp_hist *h, s64 start, s64 stop, s64 interval,
			   const char **errmsg);
static u32 stp_stat_dsize(const struct stp_hist *h);

/* data-level operations (also used for map values) */
static void stp_sd_clear(struct stp_stat_data *sd, const struct stp_hist *h);
static void stp_sd_add(struct stp_stat_data *sd, const struct stp_hist *h, u8 ops,
		       int shift, s64 val);
/* fold src into agg as the per-cpu merge of maps does; first: agg was empty */
static void stp_sd_merge(struct stp_stat_data *agg, const struct stp_stat_data *src,
			 const struct stp_hist *h, int shift);
/* an extractor; 0, or -1 with *errmsg = STP_MSG_EMPTY_AGG (count == 0 for
 * min, max, avg, variance; count and sum of nothing are 0) */
static int stp_sd_get(const struct stp_stat_data *sd, enum stp_stat_op op, int shift,
		      s64 *out, const char **errmsg);
/* @hist_*(s)[i]: 0 or -1 (empty aggregate / index out of range) */
static int stp_sd_bucket(const struct stp_stat_data *sd, const struct stp_hist *h, s64 i,
			 s64 *out, const char **errmsg);
/* print(@hist_*(s)): the ASCII chart; -1 + STP_MSG_EMPTY_AGG when empty */
static int stp_hist_print(struct stp_out *o, const struct stp_stat_data *sd,
			  const struct stp_hist *h, const char **errmsg);
/* foreach (i in @hist_*(s) limit n): buckets 0 .. nbuckets - 1, always
 * ascending (SystemTap ignores +/- there) */
static u32 stp_hist_nbuckets(const struct stp_hist *h);

/* scalar statistics */
static int stp_stat_init(struct stp_stat *st, const struct stp_hist *h, u8 ops, int shift);
static void stp_stat_free(struct stp_stat *st);
static void stp_stat_add(struct stp_stat *st, s64 val);	/* st <<< val */
static struct stp_stat_data *stp_stat_get(struct stp_stat *st);	/* merge cpus */
static void stp_stat_clear(struct stp_stat *st);		/* delete st */

#include "stat.c"

#endif /* _STP_STAT_H_ */
