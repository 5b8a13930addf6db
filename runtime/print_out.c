// SPDX-License-Identifier: GPL-2.0
/*
 * print_out.c - the printf engine (format.h) writing straight into a
 * context's print buffer: a struct stp_out over the free part of the buffer
 * whose more() hook flushes.
 *
 *	struct stp_out o;
 *
 *	stp_print_out_open(c, &o);
 *	stp_out_bytes(&o, "x=", 2);
 *	stp_fmt_long(&o, &spec, l->x);
 *	stp_print_out_close(c, &o);
 */

#define STP_PRINT_OUT_CHUNK 512

static int stp_print_out_more(struct stp_out *o)
{
	struct context *c = o->priv;

	stp_print_commit(c, o->len);
	o->buf = stp_print_reserve(c, STP_PRINT_OUT_CHUNK);
	o->len = 0;
	o->cap = o->buf ? STP_PRINT_OUT_CHUNK : 0;
	return o->buf ? 0 : -1;
}

static __maybe_unused void stp_print_out_open(struct context *c,
					      struct stp_out *o)
{
	struct stp_print_buf *b = c->pbuf;

	if (b->size - b->len < STP_PRINT_OUT_CHUNK)
		stp_print_flush(c);
	stp_out_init(o, b->data + b->len, b->size - b->len);
	o->more = stp_print_out_more;
	o->priv = c;
}

static __maybe_unused void stp_print_out_close(struct context *c,
					       struct stp_out *o)
{
	stp_print_commit(c, o->len);
	o->len = 0;
}
