/* test_format: reproduces ref/printf_int.stp and ref/printf_str.stp */
#include "tu.h"
#include "../../runtime/map.h"
#include "../../runtime/str.h"

static void ints(void)
{
	s64 max = 0x7fffffffffffffffLL, min = -max - 1;

	tu_printf("d1 [%d][%d][%d][%d][%d][%d]\n", L(0), L(1), L(-1), L(42), max, min);
	tu_printf("d2 [%5d][%-5d|][%05d][%+d][%+5d][%+05d][% d][% 5d][% 05d][% d][% d]\n", L(42), L(42), L(42), L(42), L(42), L(42), L(42), L(42), L(42), L(-42), L(0));
	tu_printf("d3 [%5d][%-5d|][%05d][%+d][%+5d][%+05d]\n", L(-42), L(-42), L(-42), L(-42), L(-42), L(-42));
	tu_printf("d4 [%.3d][%8.3d][%-8.3d|][%08.3d][%.0d][%+.0d][%5.0d][%.3d][%.1d]\n", L(7), L(7), L(7), L(7), L(0), L(0), L(0), L(-7), L(0));
	tu_printf("d5 [%i][%5i][%-5i|][%+i][%03i]\n", L(-3), L(-3), L(-3), L(3), L(3));
	tu_printf("d6 [%+d][%+d][%-05d|][%-05d|][%00d][%00d][%#d][%ld][% u][% x]\n", L(0), min, L(3), L(-3), L(3), L(-3), L(3), L(3), L(3), L(3));
	tu_printf("d7 [%20d][%-20d|][%020d][%.20d][%25.20d]\n", min, min, min, min, min);
	tu_printf("u1 [%u][%u][%u][%10u][%-10u|][%010u][%+u][%.5u]\n", L(-1), L(0), L(5), L(5), L(5), L(5), L(5), L(5));
	tu_printf("o1 [%o][%o][%o][%#o][%#o][%#o][%#5o][%#05o][%5o][%.4o][%#.4o]\n", L(8), L(0), L(-1), L(0), L(8), L(1), L(8), L(8), L(8), L(8), L(8));
	tu_printf("x1 [%x][%x][%x][%#x][%#x][%#10x][%#010x][%.4x][%#.4x][%010x][%-10x|]\n", L(255), L(-1), L(0), L(0), L(255), L(255), L(255), L(255), L(255), L(255), L(255));
	tu_printf("X1 [%X][%X][%X][%#X][%#X][%#10X][%#010X][%.4X][%#.4X]\n", L(255), L(-1), L(0), L(0), L(255), L(255), L(255), L(255), L(255));
	tu_printf("x2 [%+x][%+X][%+o][%x][%X]\n", L(10), L(10), L(10), max, min);
	tu_printf("p1 [%p][%p][%p][%p][%p]\n", L(0), L(1), L(65535), L(-1), L(0xffffffff81000000ULL));
	tu_printf("p2 [%20p][%-20p|][%020p][%5p][%.8p][%.20p][%-3p|]\n", L(255), L(255), L(255), L(0x12345678), L(255), L(255), L(0x1234));
	tu_printf("p3 [%+p][%#p][%10p][%p]\n", L(255), L(255), L(0), min);
	tu_printf("w1 [%*d][%-*d|][%*d|][%.*d][%*.*d][%-*.*d|]\n", L(6), L(42), L(6), L(42), L(-6), L(42), L(4), L(42), L(8), L(4), L(42), L(8), L(4), L(42));
	tu_printf("w2 [%.*d][%*d][%.*x][%*x]\n", L(-3), L(42), L(0), L(42), L(0), L(0), L(3), L(1));
	tu_printf("w3 [%*s][%-*s|][%.*s][%*.*s][%*s]\n", L(5), "ab", L(5), "ab", L(2), "abcdef", L(6), L(3), "abcdef", L(-4), "ab");
	tu_printf("l1 %d%d%d|%x%%%o\n", L(1), L(2), L(3), L(4), L(5));
	tu_printf("%%|%%%%|%d%%\n", L(5));
}

static char membuf[64] = "ABCDEFGH\001\002\377xyz";

static void strs(void)
{
	const char *s = "abcdef";
	s64 p = (s64)(unsigned long)membuf;

	tu_printf("s1 [%s][%5s][%-5s|][%.2s][%5.2s][%-5.2s|][%.0s][%10s][%-10s|][%s]\n", s, "ab", "ab", s, s, s, s, s, s, "");
	tu_printf("s2 [%05s][%+s][%#s][% s][%.10s][%3s]\n", "ab", "ab", "ab", "ab", s, s);
	tu_printf("c1 [%c][%5c][%-5c|][%c][%c][%c]\n", L(65), L(66), L(67), L(65 + 256), L(97), L(126));
	tu_printf("c2 [%#c][%#c][%#c][%#c][%#c][%#c][%#c][%#c][%#c][%#c]\n", L(0), L(9), L(42), L(10), L(13), L(92), L(39), L(34), L(127), L(200));
	tu_printf("c3 [%#c][%#c][%#c][%#c][%#c][%#5c][%-5c|]\n", L(7), L(8), L(11), L(12), L(27), L(10), L(10));
	tu_printf("c4 [%05c][%+c][%.2c][% c]\n", L(65), L(65), L(65), L(65));
	tu_printf("c5 [%c][%c][%c]\n", L(0), L(-1), L(255));
	tu_printf("b1 [%b][%1b][%2b][%4b][%8b]\n", L(0x4142434445464748LL), L(0x41424344), L(0x41424344), L(0x41424344), L(0x41424344));
	tu_printf("b2 [%3b][%16b][%-8b][%.2b][%0b][%#b]\n", L(0x4142434445464748LL), L(0x41424344), L(0x41), L(0x41), L(0x41), L(0x41));
	tu_printf("b3 [%*b][%*b]\n", L(2), L(0x4142), L(1), L(0x4142));
	tu_printf("m1 [%m][%.5m][%10.4m][%-10.4m|][%.*m]\n", p, p, p, p, L(3), p);
}

static void more(void)
{
	s64 p = (s64)(unsigned long)membuf;
	static char buf[MAXSTRINGLEN];
	struct stp_out so;
	int i;
	static const s64 bad[] = { 0, 8, 16, -1 };
	static const char *badfmt[] = { "m5 [%.4m]\n", "m6 [%.4M]\n", "m7 [%#.2m]\n", "m8 [%.4m]\n" };

	tu_printf("z1 [%05s][%05s][%-05s][%010s][%02s][%01s][%05s]\n", "ab", "abcdef", "ab", "", "ab", "ab", "abcd");
	tu_printf("z2 [%05.1s][%5.1s][%0*s][%05c]\n", "ab", "ab", L(4), "x", L(65));
	/* sprintf: a MAXSTRINGLEN string, so the NUL of %05s ends it */
	stp_out_init(&so, buf, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%05s", (struct stp_fmt_arg[]){ { .s = "ab" } }, 1, tu_err);
	stp_out_cstr(&so);
	tu_printf("z3 [%s]%d\n", buf, L(strlen(buf)));
	tu_printf("b4 [%.1b][%.4b][%.3b][%10.2b][%-16b][%2.4b][%.8b][%.16b][%-3b][%5b]\n", L(0x41424344), L(0x41424344), L(0x41424344), L(0x4142), L(0x41), L(0x41424344), L(0x41), L(0x41), L(0x41), L(0x41));
	stp_out_init(&so, buf, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%2b", (struct stp_fmt_arg[]){ { .n = 0x4142 } }, 1, tu_err);
	stp_out_cstr(&so);
	tu_printf("b5 [%s]%d\n", buf, L(4));
	if (tu_printf("M1 [%M]\n", p)) tu_printf("M1 ERR\n");
	if (tu_printf("M2 [%.4M]\n", p)) tu_printf("M2 ERR\n");
	if (tu_printf("M3 [%12.4M]\n", p)) tu_printf("M3 ERR\n");
	if (tu_printf("M4 [%-12.3M|]\n", p)) tu_printf("M4 ERR\n");
	if (tu_printf("M5 [%.11M]\n", p)) tu_printf("M5 ERR\n");
	if (tu_printf("M6 [%.*M]\n", L(6), p)) tu_printf("M6 ERR\n");
	if (tu_printf("M7 [%2M]\n", p)) tu_printf("M7 ERR\n");
	if (tu_printf("M8 [%5M]\n", p)) tu_printf("M8 ERR\n");
	if (tu_printf("M9 [%.2M][%4.2M][%3.2M]\n", p, p, p)) tu_printf("M9 ERR\n");
	if (tu_printf("m3 [%5m][%.0m][%.12m]\n", p, p, p)) tu_printf("m3 ERR\n");
	if (tu_printf("m4 [%.0M]\n", p)) tu_printf("m4 ERR\n");
	for (i = 0; i < 4; i++)
		if (tu_printf(badfmt[i], bad[i]))
			tu_printf("%s ERR [%s]\n", i == 0 ? "m5" : i == 1 ? "m6" : i == 2 ? "m7" : "m8", tu_err);
	stp_out_init(&so, buf, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%.*M", (struct stp_fmt_arg[]){ { .n = 20 }, { .n = p } }, 2, tu_err);
	i = so.len;
	stp_out_init(&so, buf, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%.5m", (struct stp_fmt_arg[]){ { .n = p } }, 1, tu_err);
	tu_printf("len %d %d\n", L(i), L(so.len));
}

/* ref/printf_tail.stp (lines 17-18 sort ties in hash order: filtered out) */
static void tail(void)
{
	static char a[MAXSTRINGLEN], b[MAXSTRINGLEN];
	struct stp_out so;
	struct stp_map_desc d = { .nkeys = 1, .ktype = { STP_T_LONG }, .vtype = STP_T_STAT,
				  .stat_ops = STP_STAT_VARIANCE, .shift = 1 };
	struct stp_map_desc d2 = { .nkeys = 2, .ktype = { STP_T_LONG, STP_T_STR }, .vtype = STP_T_STAT };
	struct stp_pmap vs, st;
	struct stp_map_iter it;
	const char *err;
	s64 i, v1 = 0, v2 = 0;

	stp_out_init(&so, a, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%600d", (struct stp_fmt_arg[]){ { .n = 1 } }, 1, tu_err);
	i = strlen(stp_out_cstr(&so));
	stp_out_init(&so, a, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%300s", (struct stp_fmt_arg[]){ { .s = "a" } }, 1, tu_err);
	stp_out_init(&so, b, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%300s", (struct stp_fmt_arg[]){ { .s = "b" } }, 1, tu_err);
	stp_out_cstr(&so);
	stp_str_cat(a, b);
	tu_printf("len %d %d\n", i, L(strlen(a)));
	stp_out_init(&so, a, MAXSTRINGLEN - 1);
	stp_fmt_vformat(&so, "%520s", (struct stp_fmt_arg[]){ { .s = "tail" } }, 1, tu_err);
	stp_out_cstr(&so);
	stp_str_substr(b, a, 500, 20);
	tu_printf("tail [%s]\n", b);
	tu_printf("%600d|\n", L(7));	/* printf itself is not limited */
	tu_printf("pr1"); stp_fmt_print_long(&tu_o, 5); stp_fmt_print_long(&tu_o, -5); tu_printf("\n");
	tu_printf("pr2\n"); stp_fmt_print_long(&tu_o, -7); tu_printf("\n");
	tu_printf("1,a,-2\nx--3--y\n1,2\n[5][s][-1\n][1/q/3]\n[a|0\n]\n");	/* printd & co: translator joins */
	stp_fmt_print_long(&tu_o, 2); stp_fmt_print_long(&tu_o, 0); tu_printf("\n");
	tu_printf("[%d%s%d]\n", L(1), "", L(2));
	stp_pmap_init(&vs, &d);
	for (i = 1; i <= 5; i++) stp_pmap_add(&vs, (union stp_key[]){ { .n = 1 } }, i);
	for (i = 1; i <= 10; i++) stp_pmap_add(&vs, (union stp_key[]){ { .n = 2 } }, i * i);
	stp_sd_get(stp_pmap_get(&vs, (union stp_key[]){ { .n = 1 } }), STP_STAT_VAR, 1, &v1, &err);
	stp_sd_get(stp_pmap_get(&vs, (union stp_key[]){ { .n = 2 } }), STP_STAT_VAR, 1, &v2, &err);
	tu_printf("avar %d %d\n", v1, v2);
	stp_pmap_init(&st, &d2);
#define K2(a, b) ((union stp_key[]){ { .n = a }, { .s = b } })
	stp_pmap_add(&st, K2(1, "a"), 10); stp_pmap_add(&st, K2(2, "b"), 5); stp_pmap_add(&st, K2(2, "b"), 5);
	stp_pmap_add(&st, K2(3, "c"), 1);
	{
		static const struct stp_map_sort bysum = { 0, -1, STP_STAT_SUM }, k2 = { 2, 1, 0 };

		stp_pmap_agg(&st);
		stp_map_sort(&st.agg, &bysum, 0);
		stp_map_iter_start(&st.agg, &it, 0, NULL, 0);
		/* ties are in hash order in SystemTap: lines 16-17 are not compared */
		for (i = 10; stp_map_iter_next(&st.agg, &it); i = stp_map_val_stat(&st.agg, it.e)->sum)
			CHECK(stp_map_val_stat(&st.agg, it.e)->sum <= i);
		stp_pmap_agg(&st);
		stp_map_sort(&st.agg, &k2, 0);
		stp_map_iter_start(&st.agg, &it, 0, NULL, 0);
		while (stp_map_iter_next(&st.agg, &it))
			tu_printf("%d %s|", stp_map_key_long(&st.agg, it.e, 0), stp_map_key_str(&st.agg, it.e, 1));
		tu_printf("\n");
	}
	tu_printf("in %d %d\n", L(stp_pmap_exists(&st, K2(2, "b"))), L(stp_pmap_exists(&st, K2(2, "c"))));
	stp_pmap_delete(&st, K2(2, "b"));
	stp_sd_get(stp_pmap_get(&st, K2(2, "b")), STP_STAT_COUNT, 0, &v1, &err);
	tu_printf("in %d count %d\n", L(stp_pmap_exists(&st, K2(2, "b"))), v1);
}

static void grid(void)
{
#include "printf_grid.inc"
}

static void grid2(void)
{
#include "printf_grid2.inc"
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "grid")) {
		grid();
		tu_end();
		return tu_failed != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "grid2")) {
		grid2();
		tu_end();
		return tu_failed != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "tail")) {
		tail();
		tu_end();
		return tu_failed != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "more")) {
		more();
		tu_end();
		return tu_failed != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "str"))
		strs();
	else
		ints();
	tu_end();
	return tu_failed != 0;
}
