// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - the print buffer of a context.  Output is appended to the
 * context's buffer and flushed as one record into its ring when the handler
 * ends (or when the buffer fills up), so the output of one handler run stays
 * together and stapio can put records of all CPUs back in order.
 */
#include <linux/kernel.h>
#include <linux/string.h>

/* Flush the buffer into the context's ring (one record). */
static void stp_print_flush(struct context *c)
{
	struct stp_print_buf *b = c->pbuf;

	if (!b->len)
		return;
	stp_ring_write(c->cpu, b->data, b->len, false);
	b->len = 0;
}

/*
 * Room for n bytes at the end of the buffer, flushing first if needed.
 * Write up to n bytes there, then stp_print_commit() how many were used.
 * NULL when n is larger than the whole buffer (use stp_print_bytes()).
 */
static __maybe_unused char *stp_print_reserve(struct context *c, size_t n)
{
	struct stp_print_buf *b = c->pbuf;

	if (unlikely(n > b->size))
		return NULL;
	if (b->size - b->len < n)
		stp_print_flush(c);
	return b->data + b->len;
}

static __maybe_unused void stp_print_commit(struct context *c, size_t used)
{
	c->pbuf->len += used;
}

static __maybe_unused void stp_print_bytes(struct context *c, const char *s, size_t n)
{
	struct stp_print_buf *b = c->pbuf;

	while (n) {
		size_t chunk;

		if (b->len == b->size)
			stp_print_flush(c);
		chunk = min(n, b->size - b->len);
		memcpy(b->data + b->len, s, chunk);
		b->len += chunk;
		s += chunk;
		n -= chunk;
	}
}

static __maybe_unused void stp_print_str(struct context *c, const char *s)
{
	stp_print_bytes(c, s, strlen(s));
}

static __maybe_unused void stp_print_char(struct context *c, char ch)
{
	char *p = stp_print_reserve(c, 1);

	*p = ch;
	stp_print_commit(c, 1);
}

static __maybe_unused void stp_print_long(struct context *c, s64 v)
{
	char *p = stp_print_reserve(c, 24);

	stp_print_commit(c, scnprintf(p, 24, "%lld", v));
}

static __maybe_unused __printf(2, 3) void stp_print_fmt(struct context *c, const char *fmt,
					 ...)
{
	char *p = stp_print_reserve(c, MAXSTRINGLEN);
	va_list args;

	va_start(args, fmt);
	stp_print_commit(c, vscnprintf(p, MAXSTRINGLEN, fmt, args));
	va_end(args);
}
