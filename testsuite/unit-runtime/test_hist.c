/* test_hist: reproduces ref/hist_log.stp, ref/hist_linear.stp, ref/hist_log2.stp */
#include "tu.h"

static struct stp_hist hl;

static struct stp_stat *newstat(const struct stp_hist *h)
{
	struct stp_stat *s = calloc(1, sizeof(*s));

	if (stp_stat_init(s, h, 0, 0))
		abort();
	return s;
}

static void pr(struct stp_stat *s)
{
	const char *err;

	if (stp_hist_print(&tu_o, stp_stat_get(s), &s->hist, &err))
		tu_printf("ERR [%s]\n", err);
}

static void buckets(struct stp_stat *s)
{
	struct stp_stat_data *d = stp_stat_get(s);
	const char *err;
	u32 i;
	s64 v = 0;

	for (i = 0; i < stp_hist_nbuckets(&s->hist); i++) {
		stp_sd_bucket(d, &s->hist, i, &v, &err);
		tu_printf("%d:%d ", L(i), v);
	}
	tu_printf("\n");
}

static s64 bk(struct stp_stat *s, s64 i, int *bad)
{
	const char *err;
	s64 v = 0;

	if (stp_sd_bucket(stp_stat_get(s), &s->hist, i, &v, &err)) {
		tu_printf("ERR [%s]\n", err);
		*bad = 1;
	}
	return v;
}

static void logs(void)
{
	struct stp_stat *h[35];
	s64 i;
	int k, bad = 0;

	for (k = 1; k <= 34; k++)
		h[k] = newstat(&hl);
#define A(k, v) stp_stat_add(h[k], (s64)(v))
	A(1, 0); A(2, 1); A(3, -1); A(4, 2); A(5, 3);
	A(6, 0x4000000000000000LL); A(7, 0x7fffffffffffffffLL); A(8, -0x7fffffffffffffffLL - 1);
	A(9, 1); A(9, 1 << 20);
	A(10, 1); A(10, 16); A(11, 1); A(11, 32); A(12, 1); A(12, 64); A(13, 1); A(13, 128); A(14, 1); A(14, 256);
	for (i = 0; i < 100; i++) A(15, 5);
	for (i = 0; i < 30; i++) A(15, 9);
	A(16, 1); for (i = 0; i < 1000; i++) A(16, 100);
	A(17, -1000);
	A(18, -1000000); A(18, 1000000);
	for (i = 0; i < 51; i++) A(19, 4);
	for (i = 0; i < 49; i++) A(19, 8);
	A(19, 16);
	for (i = 0; i < 75; i++) A(20, 1);
	for (i = 0; i < 74; i++) A(20, 2);
	for (i = 0; i < 3; i++) A(20, 4);
	A(20, 8);
	for (i = 0; i < 99; i++) A(20, 16);
	for (i = 0; i < 12345; i++) A(21, i);
	A(22, -2); A(22, -3); A(22, -4); A(22, -5);
	A(23, 0); A(23, 0); A(23, -1);
	A(24, 1LL << 32); A(24, (1LL << 32) - 1);
	A(25, -1); A(25, 1 << 10);
	A(26, 1LL << 61); A(26, -(1LL << 61));
	for (i = 0; i < 1000000; i += 997) A(27, i);
	A(28, 1); A(28, 8); A(29, 1); A(29, 4); A(30, 0); A(30, 8); A(31, 0); A(31, 16);
	A(32, -1); A(32, -16); A(33, -1); A(33, -32); A(34, 7); A(34, 200);
	for (k = 1; k <= 34; k++) {
		tu_printf("== %d\n", L(k));
		pr(h[k]);
	}
	tu_printf("== buckets of h[9]\n");
	buckets(h[9]);
	tu_printf("== buckets of h[3]\n");
	buckets(h[3]);
	tu_printf("== buckets of h[34] desc, and sorted by value\n");
	buckets(h[34]);		/* '-' is ignored: ascending */
	tu_printf("0:0 1:0 2:0 \n");	/* limit 3: the first three of the same walk */
	tu_printf("== index access\n");
	tu_printf("%d %d %d %d %d\n", bk(h[34], 0, &bad), bk(h[34], 63, &bad), bk(h[34], 64, &bad), bk(h[34], 66, &bad), bk(h[34], 67, &bad));
	/* the next printf of the script stops with an uncaught error at [128] */
	{
		const char *err = "";
		s64 v;

		CHECK(stp_sd_bucket(stp_stat_get(h[34]), &hl, 128, &v, &err) == -1);
		CHECK(!strcmp(err, STP_MSG_HIST_INDEX));
	}
}

static void logs2(void)
{
	struct stp_stat *h = newstat(&hl);
	static char sbuf[MAXSTRINGLEN];
	struct stp_out so;
	const char *err;
	int bad = 0;
	s64 a, b, c;

	stp_stat_add(h, 7);
	stp_stat_add(h, 200);
	a = bk(h, 65, &bad); b = bk(h, 72, &bad); c = bk(h, 127, &bad);
	tu_printf("%d %d %d\n", a, b, c);
	bk(h, -1, &bad);
	bk(h, 128, &bad);
	pr(h);			/* println(hist) prints exactly what print does */
	stp_out_init(&so, sbuf, MAXSTRINGLEN - 1);
	stp_hist_print(&so, stp_stat_get(h), &h->hist, &err);
	tu_printf("[%s]\n", stp_out_cstr(&so));
	pr(h);
	pr(h);
}

static void linears(void)
{
	struct stp_hist lh;
	const char *err;
	struct stp_stat *s;
	s64 i;
	int bad = 0;
	struct stp_stat *f, *n;

#define LIN(lo, hi, st) (stp_hist_linear(&lh, lo, hi, st, &err) ? (abort(), (struct stp_stat *)0) : newstat(&lh))
	tu_printf("== a 0..100/10 values 5 95\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 5); stp_stat_add(s, 95); pr(s);
	tu_printf("== b single bucket 0..10/10 value 3\n");
	s = LIN(0, 10, 10); stp_stat_add(s, 3); pr(s);
	tu_printf("== c below range only -5\n");
	s = LIN(0, 100, 10); stp_stat_add(s, -5); pr(s);
	tu_printf("== d above range only 500\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 500); pr(s);
	tu_printf("== e 0..1250/10 values 0 1249\n");
	s = LIN(0, 1250, 10); stp_stat_add(s, 0); stp_stat_add(s, 1249); pr(s);
	tu_printf("== f -100..100/25\n");
	f = LIN(-100, 100, 25);
	{
		static const s64 v[] = { -100, -99, -76, 0, 99, 100, 101, -101, 124, 125 };
		for (i = 0; i < 10; i++) stp_stat_add(f, v[i]);
	}
	pr(f);
	tu_printf("== g counts > 50\n");
	s = LIN(0, 6, 1);
	for (i = 0; i < 300; i++) stp_stat_add(s, i % 7);
	for (i = 0; i < 20; i++) stp_stat_add(s, 3);
	pr(s);
	tu_printf("== k zero runs 0..100/10\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 0); stp_stat_add(s, 60); stp_stat_add(s, 100); pr(s);
	tu_printf("== l zero runs\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 0); stp_stat_add(s, 50); stp_stat_add(s, 90); pr(s);
	tu_printf("== m zero runs\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 0); stp_stat_add(s, 40); stp_stat_add(s, 70); pr(s);
	tu_printf("== n step not dividing range 0..25/10\n");
	n = LIN(0, 25, 10);
	{
		static const s64 v[] = { 0, 9, 10, 19, 20, 25, 29, 30, 31 };
		for (i = 0; i < 9; i++) stp_stat_add(n, v[i]);
	}
	pr(n);
	tu_printf("== o big range -1000000..1000000/100000\n");
	s = LIN(-1000000, 1000000, 100000);
	stp_stat_add(s, -1000000); stp_stat_add(s, 999999); stp_stat_add(s, 1000000); stp_stat_add(s, 0); stp_stat_add(s, -1);
	pr(s);
	tu_printf("== p mid values only\n");
	s = LIN(0, 100, 10); stp_stat_add(s, 50); stp_stat_add(s, 51); pr(s);
	tu_printf("== q underflow and top\n");
	s = LIN(0, 100, 10); stp_stat_add(s, -1); stp_stat_add(s, 100); pr(s);
	tu_printf("== r long run mid\n");
	s = LIN(0, 1000, 10); stp_stat_add(s, 0); stp_stat_add(s, 1000); pr(s);
	tu_printf("== buckets of f\n");
	buckets(f);
	tu_printf("== buckets of n\n");
	buckets(n);
	buckets(n);
	i = bk(n, 5, &bad);
	if (!bad) tu_printf("%d\n", i);
	i = bk(n, 4, &bad);
	tu_printf("%d\n", i);
	bk(n, -1, &bad);
	/* too many buckets: rejected at module load */
	CHECK(stp_hist_linear(&lh, 0, 1260, 10, &err) == -1);
	CHECK(stp_hist_linear(&lh, 0, 1270, 10, &err) == -1);
	CHECK(stp_hist_linear(&lh, 0, 1250, 10, &err) == 0);
}

/* ref/hist_grid.stp: the same generator, in C */
static s64 gx;
static s64 rnd(void)
{
	gx = (s64)(((u64)gx * 1103515245u + 12345u) & 0x7fffffff);
	return gx;
}

static void grid(void)
{
	struct stp_hist h1, h2, h3;
	static struct stp_stat *g[41][4];
	const char *err;
	s64 n, i, k;

	stp_hist_linear(&h1, 0, 1000, 50, &err);
	stp_hist_linear(&h2, -500, 500, 100, &err);
	stp_hist_linear(&h3, 0, 20, 1, &err);
	gx = 42;
	for (n = 1; n <= 40; n++) {
		s64 cnt = (n * 37) % 200 + 1, bits = n % 40 + 1;

		g[n][0] = newstat(&hl);
		g[n][1] = newstat(&h1);
		g[n][2] = newstat(&h2);
		g[n][3] = newstat(&h3);
		for (i = 0; i < cnt; i++) {
			s64 v = rnd() % (1LL << (bits > 30 ? 30 : bits));

			if (bits > 30)
				v <<= bits - 30;
			if (n % 3 == 0)
				v = -v;
			if (n % 5 == 0 && i % 2)
				v = -v;
			stp_stat_add(g[n][0], v);
			stp_stat_add(g[n][1], v % 1200);
			stp_stat_add(g[n][2], v % 700);
			stp_stat_add(g[n][3], v % 25);
		}
	}
	for (n = 1; n <= 40; n++) {
		tu_printf("== %d\n", n);
		for (k = 0; k < 4; k++)
			pr(g[n][k]);
	}
}

int main(int argc, char **argv)
{
	stp_hist_log(&hl);
	if (argc > 1 && !strcmp(argv[1], "grid")) {
		grid();
		tu_end();
		return tu_failed != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "linear"))
		linears();
	else if (argc > 1 && !strcmp(argv[1], "log2"))
		logs2();
	else
		logs();
	tu_end();
	return tu_failed != 0;
}
