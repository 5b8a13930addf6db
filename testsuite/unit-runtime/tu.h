/* tu.h - tiny helpers for the user-space runtime unit tests */
#ifndef TU_H
#define TU_H
#include <stdio.h>
#include <stdarg.h>
#include "../../runtime/format.h"
#include "../../runtime/stat.h"

static char tu_buf[4096];
static int tu_flush(struct stp_out *o)
{
	fwrite(o->buf, 1, o->len, stdout);
	o->len = 0;
	return 0;
}
/* the "print buffer": flushes to stdout when full and at tu_end() */
static struct stp_out tu_o = { tu_buf, 0, sizeof(tu_buf), tu_flush, NULL, 0 };
static void tu_end(void) { tu_flush(&tu_o); fflush(stdout); }

/* printf through our engine, with a run-time format: args are s64 or char* by spec */
static char tu_err[MAXSTRINGLEN];
static int tu_printf(const char *fmt, ...)
{
	struct stp_fmt_arg args[32];
	const char *p = fmt, *lit;
	struct stp_fmt_spec sp;
	u32 litlen;
	int n = 0;
	va_list ap;

	va_start(ap, fmt);
	while (stp_fmt_parse(&p, &sp, &lit, &litlen) > 0) {
		if (sp.width == STP_FMT_STAR)
			args[n++].n = va_arg(ap, s64);
		if (sp.prec == STP_FMT_STAR)
			args[n++].n = va_arg(ap, s64);
		switch (stp_fmt_argkind(&sp)) {
		case STP_FMT_ARG_LONG: args[n++].n = va_arg(ap, s64); break;
		case STP_FMT_ARG_STR: args[n++].s = va_arg(ap, const char *); break;
		default: break;
		}
	}
	va_end(ap);
	return stp_fmt_vformat(&tu_o, fmt, args, n, tu_err);
}
#define L(x) ((s64)(x))

static int tu_failed;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", \
	__FILE__, __LINE__, #cond); tu_failed++; } } while (0)
#endif
