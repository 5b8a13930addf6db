/* test_str: reproduces ref/strings.stp and ref/strings2.stp */
#include "tu.h"
#include "../../runtime/str.h"

static char b1[MAXSTRINGLEN], b2[MAXSTRINGLEN], b3[MAXSTRINGLEN], b4[MAXSTRINGLEN];

static const char *longs(char *dst, int n)
{
	int i;

	for (i = 0; i < n && i < MAXSTRINGLEN - 1; i++)
		dst[i] = 'a' + (i % 26);
	dst[i] = 0;
	return dst;
}

static const char *sub(char *dst, const char *s, s64 a, s64 n) { stp_str_substr(dst, s, a, n); return dst; }
static const char *txt(char *dst, const char *s, s64 n, int q) { stp_str_text(dst, s, n, q); return dst; }

static void part1(void)
{
	static const char s[] = "a\"b\\c\nd\te\rf\001g\177h\377i'j?k\a\b\f\v";
	static char membuf[32] = "AB\"C\\\n\t\001\377z";
	static char all[256], tmp[MAXSTRINGLEN], l6[MAXSTRINGLEN], q[MAXSTRINGLEN];
	const char *t = "hello world";
	int i;

	for (i = 1; i < 256; i++)
		all[i - 1] = i;
	tu_printf("q1 %s\n", txt(b1, s, 0, 1));
	tu_printf("q2 %s\n", txt(b1, s, 0, 0));
	tu_printf("q3 %s|%s|%s|%s\n", txt(b1, s, 5, 0), txt(b2, s, 5, 1), txt(b3, s, 0, 1), txt(b4, s, 3, 0));
	tu_printf("q4 [%s][%s]\n", txt(b1, "", 0, 1), txt(b2, "", 0, 0));
	tu_printf("q5 %s\n", txt(b1, all, 0, 1));
	tu_printf("q6 %s\n", txt(b1, all, 0, 0));
	stp_str_kernel_quoted(b1, (unsigned long)membuf, tmp);
	tu_printf("q7 %s\n", b1);
	stp_str_kernel_quoted(b1, 0, tmp);
	tu_printf("q8 %s\n", b1);
	stp_str_kernel_quoted(b1, 1, tmp);
	tu_printf("q9 %s\n", b1);
	longs(l6, 600);
	txt(b1, l6, 0, 1);
	tu_printf("q10 %d %s\n", L(strlen(b1)), sub(b2, b1, 490, 40));
	txt(b1, l6, 0, 0);
	tu_printf("q11 %d %s\n", L(strlen(b1)), sub(b2, b1, 490, 40));
	longs(q, 300);
	for (i = 0; i < 105; i++)
		stp_str_cat(q, "\n");
	txt(b1, q, 0, 1);
	tu_printf("q12 %d %s\n", L(strlen(b1)), sub(b2, b1, 480, 40));
	tu_printf("q13 %s|%s\n", txt(b1, longs(tmp, 40), 10, 0), txt(b2, longs(tmp, 40), 10, 1));
	tu_printf("q14 %s|%s|%s\n", txt(b1, "ab\ncd", 3, 1), txt(b2, "abc", 3, 1), txt(b3, "abcd", 3, 1));
	tu_printf("q15 %s|%s\n", txt(b1, "ab\ncd", 2, 1), txt(b2, "\n\n\n", 4, 0));
	tu_printf("q16 %d %d\n", L(strlen(longs(b1, 600))), L(strlen(longs(b2, 510))));
	tu_printf("sub [%s][%s][%s][%s][%s][%s][%s][%s]\n", sub(b1, t, 0, 5), sub(b2, t, 6, 100), sub(b3, t, 11, 1), sub(b4, t, 20, 1),
		  sub(tmp, t, -1, 3), sub(l6, t, 3, 0), sub(q, t, 3, -2), sub(all, t, 10, 5));
	tu_printf("pos %d %d %d %d %d %d %d\n", stp_str_pos(t, "o"), stp_str_pos(t, "world"), stp_str_pos(t, "x"), stp_str_pos(t, ""),
		  stp_str_pos("", ""), stp_str_pos("", "a"), stp_str_pos(t, "hello world!"));
	tu_printf("in %d %d %d %d\n", stp_str_isinstr(t, "lo w"), stp_str_isinstr(t, "xyz"), stp_str_isinstr(t, ""), stp_str_isinstr("", ""));
}

static void part2(void)
{
	static struct stp_tok_state ts;
	static char l5[MAXSTRINGLEN], big[2 * MAXSTRINGLEN];
	const char *t = "hello world", *err;
	s64 a, b;
	int i;

#define REP(d, s, x, y) (stp_str_replace(d, s, x, y), d)
#define TOK(d, in, dl) (stp_str_tokenize(d, &ts, in, dl), d)
	stp_str_at(t, 0, &a, &err);
	stp_str_at(t, 10, &b, &err);
	tu_printf("at %d %d\n", a, b);
	if (stp_str_at(t, 11, &a, &err)) tu_printf("at ERR [%s]\n", err);
	if (stp_str_at(t, -1, &a, &err)) tu_printf("at ERR [%s]\n", err);
	if (stp_str_at("", 0, &a, &err)) tu_printf("at ERR [%s]\n", err);
	tu_printf("dig %d %d %d %d\n", stp_str_isdigit("123"), stp_str_isdigit("1a"), stp_str_isdigit(""), stp_str_isdigit("a1"));
	tu_printf("rep [%s]", REP(b1, t, "o", "0"));
	tu_printf("[%s]", REP(b1, t, "l", ""));
	tu_printf("[%s]", REP(b1, t, "", "x"));
	tu_printf("[%s]", REP(b1, "aaaa", "aa", "b"));
	tu_printf("[%s]", REP(b1, t, "world", "there, big world"));
	tu_printf("[%s]\n", REP(b1, "", "a", "b"));
	tu_printf("rep2 %d\n", L(strlen(REP(b1, longs(l5, 500), "a", "XYZ"))));
	tu_printf("tok [%s]", TOK(b1, "a,b,,c", ","));
	for (i = 0; i < 5; i++) tu_printf("[%s]", TOK(b1, "", ","));
	tu_printf("\ntok2 [%s]", TOK(b1, "  x y  ", " "));
	for (i = 0; i < 4; i++) tu_printf("[%s]", TOK(b1, "", " "));
	tu_printf("\ntok3 [%s]", TOK(b1, "a:b;c", ":;"));
	for (i = 0; i < 3; i++) tu_printf("[%s]", TOK(b1, "", ":;"));
	tu_printf("\ntok4 [%s]", TOK(b1, "", ","));
	tu_printf("[%s]", TOK(b1, ",,,", ","));
	tu_printf("[%s]\n", TOK(b1, "", ","));
	tu_printf("tok5 [%s]", TOK(b1, "abc", ""));
	tu_printf("[%s]", TOK(b1, "", ""));
	tu_printf("[%s]\n", TOK(b1, "abc", "x"));
#define T(s, b) stp_str_strtol(s, b)
	tu_printf("tol %d %d %d %d %d %d %d %d\n", T("123", 10), T("-12", 10), T("0x1f", 16), T("1f", 16), T("z", 36), T("12abc", 10), T("", 10), T(" 12", 10));
	tu_printf("tol2 %d %d %d %d %d %d %d\n", T("0x1f", 0), T("017", 0), T("017", 10), T("99999999999999999999", 10), T("-99999999999999999999", 10), T("+5", 10), T("101", 2));
	tu_printf("tol3 %d %d %d %d\n", T("0x", 16), T("-0x10", 16), T("ffffffffffffffff", 16), T("  -7 ", 0));
	tu_printf("tol4 %d\n", T("5", 1));
	tu_printf("tol5 %d\n", T("5", 37));
	tu_printf("tol6 %d\n", T("5", -1));
	longs(big, 300);
	stp_str_copy(b1, big);
	stp_str_cat(b1, big);
	tu_printf("cat [%s] %d\n", sub(b2, b1, 505, 10), L(strlen(b1)));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "2"))
		part2();
	else
		part1();
	tu_end();
	return tu_failed != 0;
}
