/* test_stats: reproduces ref/stats_arith.stp and ref/stats_scalar.stp */
#include "tu.h"

static struct stp_hist none;

/* an array element: one cpu's data, aggregated as maps do */
struct elem { struct stp_stat_data sd; };
static struct stp_stat_data *v[31], *agg;

static void vadd(int n, s64 x) { stp_sd_add(v[n], &none, STP_STAT_VARIANCE, 0, x); }

static s64 get(struct stp_stat_data *sd, enum stp_stat_op op, int shift)
{
	const char *err;
	s64 r = 0;

	if (stp_sd_get(sd, op, shift, &r, &err))
		tu_printf("<%s>", err);
	return r;
}

static void show(int n)
{
	stp_sd_clear(agg, &none);
	stp_sd_merge(agg, v[n], &none, 0);
	tu_printf("%d: count=%d sum=%d min=%d max=%d avg=%d var=%d\n", L(n), get(agg, STP_STAT_COUNT, 0),
		  get(agg, STP_STAT_SUM, 0), get(agg, STP_STAT_MIN, 0), get(agg, STP_STAT_MAX, 0),
		  get(agg, STP_STAT_AVG, 0), get(agg, STP_STAT_VAR, 0));
}

static void arith(void)
{
	s64 i;
	struct stp_stat sh1, sh2, sh8, one, e;
	const char *err;
	s64 r;

	for (i = 0; i < 31; i++)
		v[i] = calloc(1, stp_stat_dsize(&none));
	agg = calloc(1, stp_stat_dsize(&none));
	vadd(1, 1); vadd(1, 2);
	for (i = 1; i <= 3; i++) vadd(2, i);
	vadd(3, 10); vadd(3, 0);
	vadd(4, 0); vadd(4, 10);
	vadd(5, 5);
	vadd(6, -5); vadd(6, 5);
	vadd(7, 1); vadd(7, 1); vadd(7, 1); vadd(7, 1); vadd(7, 100);
	vadd(8, 100); vadd(8, 1); vadd(8, 1); vadd(8, 1); vadd(8, 1);
	vadd(9, -7); vadd(9, -3);
	vadd(10, 3); vadd(10, -7);
	vadd(11, 1000000); vadd(11, 0); vadd(11, 3);
	for (i = 0; i < 100; i++) vadd(12, i);
	for (i = -20; i < 300; i += 7) vadd(13, i);
	vadd(14, 2); vadd(14, 4); vadd(14, 4); vadd(14, 4); vadd(14, 5); vadd(14, 5); vadd(14, 7); vadd(14, 9);
	vadd(15, -1);
	vadd(16, 1LL << 40); vadd(16, 3LL << 40);
	vadd(17, 7); vadd(17, 7);
	for (i = 1; i <= 10; i++) vadd(18, i);
	for (i = 1; i <= 5; i++) vadd(19, i);
	vadd(20, -3); vadd(20, -4);
	vadd(21, -10); vadd(21, -1); vadd(21, -1);
	vadd(22, 0x7fffffffffffffffLL); vadd(22, 1);
	vadd(23, 3000000000LL); vadd(23, -3000000000LL); vadd(23, 5);
	vadd(24, 1); vadd(24, 3); vadd(24, 2); vadd(24, 10); vadd(24, -6); vadd(24, 4);
	for (i = 0; i < 1000; i++) vadd(25, (i * 7919) % 1000 - 300);
	vadd(26, 0);
	vadd(27, 5); vadd(27, 6);
	vadd(28, 6); vadd(28, 5);
	vadd(29, 1); vadd(29, 2); vadd(29, 4); vadd(29, 8); vadd(29, 16); vadd(29, 32);
	vadd(30, 40000); vadd(30, 80000); vadd(30, 120000);
	for (i = 1; i <= 30; i++)
		show(i);
	stp_stat_init(&sh1, NULL, STP_STAT_VARIANCE, 1);
	stp_stat_init(&sh2, NULL, STP_STAT_VARIANCE, 2);
	stp_stat_init(&sh8, NULL, STP_STAT_VARIANCE, 8);
	for (i = 1; i <= 5; i++) { stp_stat_add(&sh1, i); stp_stat_add(&sh2, i); stp_stat_add(&sh8, i); }
	tu_printf("shift: %d %d %d\n", get(stp_stat_get(&sh1), STP_STAT_VAR, 1),
		  get(stp_stat_get(&sh2), STP_STAT_VAR, 2), get(stp_stat_get(&sh8), STP_STAT_VAR, 8));
	stp_stat_init(&one, NULL, STP_STAT_VARIANCE, 0);
	stp_stat_add(&one, 42);
	stp_stat_get(&one);
	tu_printf("one: count=%d sum=%d min=%d max=%d avg=%d var=%d\n", get(one.agg, STP_STAT_COUNT, 0),
		  get(one.agg, STP_STAT_SUM, 0), get(one.agg, STP_STAT_MIN, 0), get(one.agg, STP_STAT_MAX, 0),
		  get(one.agg, STP_STAT_AVG, 0), get(one.agg, STP_STAT_VAR, 0));
	stp_stat_init(&e, NULL, STP_STAT_VARIANCE, 0);
	stp_stat_get(&e);
	tu_printf("empty count=%d sum=%d\n", get(e.agg, STP_STAT_COUNT, 0), get(e.agg, STP_STAT_SUM, 0));
	if (stp_sd_get(e.agg, STP_STAT_MIN, 0, &r, &err)) tu_printf("min ERR [%s]\n", err);
	if (stp_sd_get(e.agg, STP_STAT_MAX, 0, &r, &err)) tu_printf("max ERR [%s]\n", err);
	if (stp_sd_get(e.agg, STP_STAT_AVG, 0, &r, &err)) tu_printf("avg ERR [%s]\n", err);
	if (stp_sd_get(e.agg, STP_STAT_VAR, 0, &r, &err)) tu_printf("var ERR [%s]\n", err);
	if (!stp_sd_get(e.agg, STP_STAT_SUM, 0, &r, &err)) tu_printf("sum=%d\n", r);
	/* a missing array element reads as no data */
	if (!stp_sd_get(NULL, STP_STAT_COUNT, 0, &r, &err)) tu_printf("arr count=%d\n", r);
	if (!stp_sd_get(NULL, STP_STAT_SUM, 0, &r, &err)) tu_printf("arr sum=%d\n", r);
	if (stp_sd_get(NULL, STP_STAT_AVG, 0, &r, &err)) tu_printf("arr avg ERR [%s]\n", err);
	if (stp_sd_get(NULL, STP_STAT_MIN, 0, &r, &err)) tu_printf("arr min ERR [%s]\n", err);
	if (stp_sd_get(NULL, STP_STAT_VAR, 0, &r, &err)) tu_printf("arr var ERR [%s]\n", err);
	{
		struct stp_hist hl, hlin;
		struct stp_stat eh, ehl;

		stp_hist_log(&hl);
		stp_hist_linear(&hlin, 0, 10, 2, &err);
		stp_stat_init(&eh, &hl, 0, 0);
		stp_stat_init(&ehl, &hlin, 0, 0);
		if (stp_hist_print(&tu_o, stp_stat_get(&eh), &hl, &err)) tu_printf("hist_log ERR [%s]\n", err);
		if (stp_hist_print(&tu_o, stp_stat_get(&ehl), &hlin, &err)) tu_printf("hist_linear ERR [%s]\n", err);
		if (stp_sd_bucket(eh.agg, &hl, 2, &r, &err)) tu_printf("bucket ERR [%s]\n", err);
		/* foreach over an empty histogram still visits every bucket */
		for (i = 0; i < stp_hist_nbuckets(&hl); i++) tu_printf("b%d ", i);
		tu_printf("\n");
		if (stp_hist_print(&tu_o, NULL, &hl, &err)) tu_printf("arr hist_log ERR [%s]\n", err);
	}
	tu_printf("in=%d\n", L(0));
}

static void scalar(void)
{
	static const s64 o[] = { 1, 3, 2, 10, -6, 4 }, t[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct stp_stat s[20];
	struct stp_hist hl;
	const char *err;
	s64 i, k;

	stp_hist_log(&hl);
	for (k = 0; k < 20; k++)
		stp_stat_init(&s[k], k == 15 ? &hl : NULL, STP_STAT_VARIANCE, 0);
#define A(k, x) stp_stat_add(&s[k], x)
	for (i = 1; i <= 5; i++) A(0, i);
	A(1, 1); A(1, 2);
	for (i = 1; i <= 3; i++) A(2, i);
	A(3, 10); A(3, 0);
	A(4, 0); A(4, 10);
	for (i = -20; i < 300; i += 7) A(5, i);
	A(6, 1); A(6, 1); A(6, 1); A(6, 1); A(6, 100);
	A(7, 100); A(7, 1); A(7, 1); A(7, 1); A(7, 1);
	A(8, 5);
	A(9, -7); A(9, -3);
	for (i = 0; i < 100; i++) A(10, i);
	for (i = 1; i <= 10; i++) A(11, i);
	for (i = 0; i < 6; i++) A(12, o[i]);
	for (i = 1; i <= 5; i++) A(13, i);
	for (i = -20; i < 300; i += 7) { A(15, i); A(16, i); }
	for (i = 0; i < 8; i++) A(17, t[i]);
	{
		static const char *names = "abcdefghklmno";
		for (k = 0; k < 13; k++) {
			struct stp_stat_data *d = stp_stat_get(&s[k]);
			tu_printf("%c: var=%d avg=%d\n", L(names[k]), get(d, STP_STAT_VAR, 0), get(d, STP_STAT_AVG, 0));
		}
	}
	tu_printf("p: var=%d var=%d var=%d\n", get(stp_stat_get(&s[13]), STP_STAT_VAR, 0),
		  get(stp_stat_get(&s[13]), STP_STAT_VAR, 0), get(stp_stat_get(&s[13]), STP_STAT_VAR, 0));
	stp_hist_print(&tu_o, stp_stat_get(&s[15]), &hl, &err);
	for (k = 15; k <= 16; k++) {
		struct stp_stat_data *d = stp_stat_get(&s[k]);
		tu_printf("%c: count=%d sum=%d min=%d max=%d avg=%d var=%d\n", L(k == 15 ? 'q' : 'r'),
			  get(d, STP_STAT_COUNT, 0), get(d, STP_STAT_SUM, 0), get(d, STP_STAT_MIN, 0),
			  get(d, STP_STAT_MAX, 0), get(d, STP_STAT_AVG, 0), get(d, STP_STAT_VAR, 0));
	}
	tu_printf("t: var=%d avg=%d\n", get(stp_stat_get(&s[17]), STP_STAT_VAR, 0),
		  get(stp_stat_get(&s[17]), STP_STAT_AVG, 0));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "scalar"))
		scalar();
	else
		arith();
	tu_end();
	return tu_failed != 0;
}
