/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stat.c - statistics (see stat.h).  The arithmetic reproduces SystemTap
 * 4.8 exactly, quirks included (runtime/DATA.md): Welford's update with a
 * 32-bit delta and truncating division, and on read the "total variance"
 * merge of per-cpu parts, which for scalars also re-centres a single cpu's
 * data on sum/count.  Signed overflow wraps (done in u64).
 */

/* SystemTap's 64-bit division: truncating; x / 0 is 0 */
static inline s64 stp_sdiv(s64 x, s64 y)
{
	if (y == 0)
		return 0;
	if (y == -1)
		return (s64)(0 - (u64)x);
	return div64_s64(x, y);
}

static inline s64 stp_wadd(s64 a, s64 b) { return (s64)((u64)a + (u64)b); }
static inline s64 stp_wsub(s64 a, s64 b) { return (s64)((u64)a - (u64)b); }
static inline s64 stp_wmul(s64 a, s64 b) { return (s64)((u64)a * (u64)b); }
static inline s64 stp_wshl(s64 a, int s) { return (s64)((u64)a << s); }

/* ------------------------------------------------------------- histograms */

static __maybe_unused void stp_hist_log(struct stp_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->type = STP_HIST_LOG;
	h->nbuckets = STP_HIST_LOG_BUCKETS;
}

static __maybe_unused int stp_hist_linear(struct stp_hist *h, s64 start, s64 stop,
					  s64 interval, const char **errmsg)
{
	s64 n;

	memset(h, 0, sizeof(*h));
	if (interval <= 0 || stop < start) {
		*errmsg = STP_MSG_HIST_BUCKETS;
		return -1;
	}
	n = (s64)div64_u64((u64)stop - (u64)start, (u64)interval);
	if (n + 1 > STP_HIST_MAX_LINEAR) {	/* 0..1250 step 10 works, 0..1260 fails */
		*errmsg = STP_MSG_HIST_BUCKETS;
		return -1;
	}
	h->type = STP_HIST_LINEAR;
	h->start = start;
	h->stop = stop;
	h->interval = interval;
	h->nbuckets = (u32)n + 1 + 2;
	return 0;
}

static __maybe_unused u32 stp_hist_nbuckets(const struct stp_hist *h)
{
	return h->type == STP_HIST_NONE ? 0 : h->nbuckets;
}

static __maybe_unused u32 stp_stat_dsize(const struct stp_hist *h)
{
	return sizeof(struct stp_stat_data) + stp_hist_nbuckets(h) * sizeof(s64);
}

static inline int stp_fls64(u64 v)	/* index of the highest set bit, v != 0 */
{
	int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

static u32 stp_hist_bucket(const struct stp_hist *h, s64 val)
{
	u64 off;

	if (h->type == STP_HIST_LOG) {
		if (val == 0)
			return 64;
		if (val > 0)
			return 65 + stp_fls64((u64)val);
		return 63 - stp_fls64(0 - (u64)val);
	}
	if (val < h->start)
		return 0;
	off = div64_u64((u64)val - (u64)h->start, (u64)h->interval);
	if (off >= h->nbuckets - 2)
		return h->nbuckets - 1;
	return (u32)off + 1;
}

/* the row label of bucket i, into buf[24]; returns its length */
static u32 stp_hist_label(const struct stp_hist *h, u32 i, char *buf)
{
	struct stp_out o;
	s64 v;

	stp_out_init(&o, buf, 23);
	if (h->type == STP_HIST_LOG) {
		if (i == 64)
			v = 0;
		else if (i > 64)
			v = (s64)1 << (i - 65);
		else
			v = (s64)(0 - ((u64)1 << (63 - i)));
	} else {
		if (i == 0)
			stp_out_char(&o, '<');
		else if (i == h->nbuckets - 1)
			stp_out_char(&o, '>');
		if (i == 0)
			v = h->start;
		else if (i == h->nbuckets - 1)
			v = stp_wadd(h->start, stp_wmul(h->nbuckets - 3, h->interval));
		else
			v = stp_wadd(h->start, stp_wmul(i - 1, h->interval));
	}
	stp_fmt_print_long(&o, v);
	return o.len;
}

static u32 stp_ndigits(s64 v)
{
	u32 n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void stp_hist_row(struct stp_out *o, const struct stp_hist *h, u32 i, s64 cnt,
			 u32 lw, u32 cw, s64 scale)
{
	char label[24];
	u32 n = stp_hist_label(h, i, label);
	s64 bar = div64_s64(cnt, scale);

	stp_out_fill(o, ' ', (s64)lw - n);
	stp_out_bytes(o, label, n);
	stp_out_bytes(o, " |", 2);
	stp_out_fill(o, '@', bar);
	stp_out_fill(o, ' ', STP_HIST_WIDTH - bar + 1 + (s64)cw - stp_ndigits(cnt));
	stp_fmt_print_long(o, cnt);
	stp_out_char(o, '\n');
}

static __maybe_unused int stp_hist_print(struct stp_out *o, const struct stp_stat_data *sd,
					 const struct stp_hist *h, const char **errmsg)
{
	u32 nb = stp_hist_nbuckets(h), lo, hi, floor, ceil, i, lw = 5, cw;
	s64 max = 0, scale = 1;
	char label[24];

	if (!sd || sd->count == 0 || nb == 0) {
		*errmsg = STP_MSG_EMPTY_AGG;
		return -1;
	}
	for (lo = 0; lo < nb && !sd->hist[lo]; lo++)
		;
	if (lo == nb) {
		*errmsg = STP_MSG_EMPTY_AGG;
		return -1;
	}
	for (hi = nb - 1; !sd->hist[hi]; hi--)
		;
	/* show ELISION empty rows around the data, but no negative rows for
	 * non-negative data and no under/overflow rows that are empty */
	if (h->type == STP_HIST_LOG) {
		floor = lo >= 64 ? 64 : 0;
		ceil = nb - 1;
	} else {
		floor = lo >= 1 ? 1 : 0;
		ceil = hi <= nb - 2 ? nb - 2 : nb - 1;
	}
	lo = lo >= floor + STP_HIST_ELISION ? lo - STP_HIST_ELISION : floor;
	hi = hi + STP_HIST_ELISION <= ceil ? hi + STP_HIST_ELISION : ceil;

	for (i = lo; i <= hi; i++) {
		u32 n = stp_hist_label(h, i, label);

		if (n > lw)
			lw = n;
		if (sd->hist[i] > max)
			max = sd->hist[i];
	}
	if (max > STP_HIST_WIDTH)
		scale = div64_s64(max + STP_HIST_WIDTH - 1, STP_HIST_WIDTH);
	cw = stp_ndigits(max);

	stp_out_fill(o, ' ', (s64)lw - 5);
	stp_out_bytes(o, "value |", 7);
	stp_out_fill(o, '-', STP_HIST_WIDTH);
	stp_out_bytes(o, " count\n", 7);
	for (i = lo; i <= hi; i++) {
		u32 run = 0;

		if (!sd->hist[i]) {
			while (i + run <= hi && !sd->hist[i + run])
				run++;
		}
		if (run > 2 * STP_HIST_ELISION) {
			u32 k;

			for (k = 0; k < STP_HIST_ELISION; k++)
				stp_hist_row(o, h, i + k, 0, lw, cw, scale);
			stp_out_fill(o, ' ', lw + 1);
			stp_out_bytes(o, "~\n", 2);
			i += run - STP_HIST_ELISION;
			for (k = 0; k < STP_HIST_ELISION; k++)
				stp_hist_row(o, h, i + k, 0, lw, cw, scale);
			i += STP_HIST_ELISION - 1;
			continue;
		}
		stp_hist_row(o, h, i, sd->hist[i], lw, cw, scale);
	}
	stp_out_char(o, '\n');
	return 0;
}

/* ------------------------------------------------------------ accumulation */

static __maybe_unused void stp_sd_clear(struct stp_stat_data *sd, const struct stp_hist *h)
{
	memset(sd, 0, stp_stat_dsize(h));
}

static __maybe_unused void stp_sd_add(struct stp_stat_data *sd, const struct stp_hist *h,
				      u8 ops, int shift, s64 val)
{
	s64 vs = stp_wshl(val, shift);

	if (sd->count == 0) {
		sd->count = 1;
		sd->sum = sd->min = sd->max = val;
		sd->avg_s = vs;
		sd->m2 = 0;
	} else {
		sd->count++;
		sd->sum = stp_wadd(sd->sum, val);
		if (val > sd->max)
			sd->max = val;
		if (val < sd->min)
			sd->min = val;
		if (ops & STP_STAT_VARIANCE) {
			/* SystemTap keeps this delta in a 32-bit int */
			s64 delta = (s32)(u32)(u64)stp_wsub(vs, sd->avg_s);

			sd->avg_s = stp_wadd(sd->avg_s, stp_sdiv(delta, sd->count));
			sd->m2 = stp_wadd(sd->m2, stp_wmul(delta, stp_wsub(vs, sd->avg_s)));
			sd->variance_s = stp_sdiv(sd->m2, sd->count - 1);
		}
	}
	if (h->type != STP_HIST_NONE)
		sd->hist[stp_hist_bucket(h, val)]++;
}

/* one part's term of the total-variance formula around avg */
static s64 stp_sd_vterm(s64 count, s64 avg_s, s64 variance_s, s64 avg)
{
	s64 d = stp_wsub(avg_s, avg);

	return stp_wadd(stp_wmul(stp_wmul(count, d), d), stp_wmul(count - 1, variance_s));
}

static __maybe_unused void stp_sd_merge(struct stp_stat_data *agg,
					const struct stp_stat_data *src,
					const struct stp_hist *h, int shift)
{
	u32 j, nb = stp_hist_nbuckets(h);

	if (src->count == 0)
		return;
	if (agg->count == 0) {
		memcpy(agg, src, stp_stat_dsize(h));
		return;
	}
	{
		s64 n1 = agg->count, a1 = agg->avg_s, v1 = agg->variance_s;

		agg->count += src->count;
		agg->sum = stp_wadd(agg->sum, src->sum);
		if (src->min < agg->min)
			agg->min = src->min;
		if (src->max > agg->max)
			agg->max = src->max;
		agg->avg_s = stp_sdiv(stp_wshl(agg->sum, shift), agg->count);
		agg->variance_s = stp_sdiv(stp_wadd(stp_sd_vterm(n1, a1, v1, agg->avg_s),
						    stp_sd_vterm(src->count, src->avg_s,
								 src->variance_s, agg->avg_s)),
					   agg->count - 1);
	}
	for (j = 0; j < nb; j++)
		agg->hist[j] += src->hist[j];
}

static __maybe_unused int stp_sd_get(const struct stp_stat_data *sd, enum stp_stat_op op,
				     int shift, s64 *out, const char **errmsg)
{
	s64 count = sd ? sd->count : 0;

	if (count == 0 && op != STP_STAT_COUNT && op != STP_STAT_SUM) {
		*errmsg = STP_MSG_EMPTY_AGG;
		return -1;
	}
	switch (op) {
	case STP_STAT_COUNT: *out = count; break;
	case STP_STAT_SUM: *out = count ? sd->sum : 0; break;
	case STP_STAT_MIN: *out = sd->min; break;
	case STP_STAT_MAX: *out = sd->max; break;
	case STP_STAT_AVG: *out = stp_sdiv(sd->sum, count); break;
	case STP_STAT_VAR: *out = sd->variance_s >> (2 * shift); break;
	}
	return 0;
}

static __maybe_unused int stp_sd_bucket(const struct stp_stat_data *sd,
					const struct stp_hist *h, s64 i, s64 *out,
					const char **errmsg)
{
	if (!sd || sd->count == 0) {
		*errmsg = STP_MSG_EMPTY_AGG;
		return -1;
	}
	if (i < 0 || i >= (s64)stp_hist_nbuckets(h)) {
		*errmsg = STP_MSG_HIST_INDEX;
		return -1;
	}
	*out = sd->hist[i];
	return 0;
}

/* ------------------------------------------------------- scalar statistics */

static __maybe_unused int stp_stat_init(struct stp_stat *st, const struct stp_hist *h,
					u8 ops, int shift)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	if (h)
		st->hist = *h;
	st->ops = ops;
	st->shift = shift;
	st->dsize = stp_stat_dsize(&st->hist);
	st->pcpu = _stp_pcpu_alloc(st->dsize);
	st->agg = _stp_data_zalloc(st->dsize);
	if (!st->pcpu || !st->agg) {
		stp_stat_free(st);
		return -ENOMEM;
	}
	_stp_for_each_cpu(cpu)
		memset(_stp_pcpu_ptr(st->pcpu, cpu), 0, st->dsize);
	return 0;
}

static __maybe_unused void stp_stat_free(struct stp_stat *st)
{
	if (st->pcpu)
		_stp_pcpu_free(st->pcpu);
	if (st->agg)
		_stp_data_free(st->agg);
	st->pcpu = NULL;
	st->agg = NULL;
}

static __maybe_unused void stp_stat_add(struct stp_stat *st, s64 val)
{
	stp_sd_add(_stp_pcpu_ptr(st->pcpu, _stp_this_cpu()), &st->hist, st->ops,
		   st->shift, val);
}

/*
 * Merge the cpus.  Scalars use the total-variance formula over all cpus
 * at once, around (sum << shift) / count - also with a single cpu, which
 * is why @variance of a scalar differs from that of an array element.
 */
static __maybe_unused struct stp_stat_data *stp_stat_get(struct stp_stat *st)
{
	struct stp_stat_data *agg = st->agg;
	u32 j, nb = stp_hist_nbuckets(&st->hist);
	s64 s = 0;
	int cpu;

	memset(agg, 0, st->dsize);
	_stp_for_each_cpu(cpu) {
		struct stp_stat_data *sd = _stp_pcpu_ptr(st->pcpu, cpu);

		if (!sd->count)
			continue;
		if (agg->count == 0) {
			agg->min = sd->min;
			agg->max = sd->max;
		}
		agg->count += sd->count;
		agg->sum = stp_wadd(agg->sum, sd->sum);
		if (sd->max > agg->max)
			agg->max = sd->max;
		if (sd->min < agg->min)
			agg->min = sd->min;
		for (j = 0; j < nb; j++)
			agg->hist[j] += sd->hist[j];
	}
	agg->avg_s = stp_sdiv(stp_wshl(agg->sum, st->shift), agg->count);
	_stp_for_each_cpu(cpu) {
		struct stp_stat_data *sd = _stp_pcpu_ptr(st->pcpu, cpu);

		if (sd->count)
			s = stp_wadd(s, stp_sd_vterm(sd->count, sd->avg_s, sd->variance_s,
						     agg->avg_s));
	}
	agg->variance_s = stp_sdiv(s, agg->count - 1);
	return agg;
}

static __maybe_unused void stp_stat_clear(struct stp_stat *st)
{
	int cpu;

	_stp_for_each_cpu(cpu)
		memset(_stp_pcpu_ptr(st->pcpu, cpu), 0, st->dsize);
}
