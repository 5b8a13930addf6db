/* test_regex: reproduces ref/regex.stp (cases in regex_cases.inc) */
#include "tu.h"
#include "../../runtime/regex.h"

static const struct { const char *s, *re; } cases[] = {
#include "regex_cases.inc"
};

int main(void)
{
	static struct stp_re re;
	static char err[MAXSTRINGLEN], buf[MAXSTRINGLEN];
	struct stp_re_match m;
	unsigned i;
	int g;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		void *work;

		tu_printf("%d: ", L(i));
		if (stp_re_compile(&re, cases[i].re, err)) {
			tu_printf("compile error %s\n", err);
			continue;
		}
		work = malloc(stp_re_worksize(&re));
		if (!stp_re_match(&re, cases[i].s, &m, work)) {
			tu_printf("no\n");
			free(work);
			continue;
		}
		stp_re_matched(buf, cases[i].s, &m, 0);
		tu_printf("yes [%s]", buf);
		for (g = 1; g <= 3; g++) {
			if (stp_re_matched(buf, cases[i].s, &m, g))
				tu_printf(" ERR{Attempted to get nonexistent subexpression %d}", L(g));
			else
				tu_printf(" [%s]", buf);
		}
		tu_printf("\n");
		free(work);
	}
	tu_end();
	return tu_failed != 0;
}
