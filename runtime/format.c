/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.c - the printf engine (see format.h).  Output is byte-identical to
 * SystemTap 4.8's printf; the facts it follows are in runtime/DATA.md and
 * the reference fixtures in testsuite/unit-runtime/ref/.
 */

/* ---------------------------------------------------------------- output */

static __maybe_unused void stp_out_init(struct stp_out *o, char *buf, u32 cap)
{
	o->buf = buf;
	o->len = 0;
	o->cap = cap;
	o->more = NULL;
	o->priv = NULL;
	o->dropped = 0;
}

static __maybe_unused void stp_out_bytes(struct stp_out *o, const char *s, u32 n)
{
	while (n) {
		u32 room = o->cap - o->len;

		if (!room) {
			if (!o->more || o->more(o) || o->cap == o->len) {
				o->dropped += n;
				return;
			}
			continue;
		}
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		s += room;
		n -= room;
	}
}

static __maybe_unused void stp_out_char(struct stp_out *o, char c)
{
	if (likely(o->len < o->cap))
		o->buf[o->len++] = c;
	else
		stp_out_bytes(o, &c, 1);
}

static __maybe_unused void stp_out_str(struct stp_out *o, const char *s)
{
	stp_out_bytes(o, s, strlen(s));
}

/* n copies of c (n <= 0: none) */
static __maybe_unused void stp_out_fill(struct stp_out *o, char c, s64 n)
{
	while (n > 0) {
		u32 room = o->cap - o->len;

		if (!room) {
			if (!o->more || o->more(o) || o->cap == o->len) {
				o->dropped += n > 0xffffffffLL ? 0xffffffffu : (u32)n;
				return;
			}
			continue;
		}
		if (room > n)
			room = n;
		memset(o->buf + o->len, c, room);
		o->len += room;
		n -= room;
	}
}

/* NUL-terminate (the buffer must have one byte beyond cap) */
static __maybe_unused const char *stp_out_cstr(struct stp_out *o)
{
	o->buf[o->len] = '\0';
	return o->buf;
}

/* ---------------------------------------------------------------- numbers */

/* digits of v in base, most significant first, into d[24]; returns count */
static u32 stp_fmt_digits(char *d, u64 v, u32 base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	u32 n = 0, i;

	do {
		tmp[n++] = set[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	return n;
}

/*
 * The field width.  Into a string (no more() hook: sprintf), SystemTap caps
 * it at the string's size, MAXSTRINGLEN: sprintf("%520s", "tail") is 508
 * blanks and "tai".
 */
static s64 stp_fmt_width(const struct stp_out *o, const struct stp_fmt_spec *sp)
{
	s64 w = sp->width > 0 ? sp->width : 0;

	if (!o->more && w > (s64)o->cap + 1)
		w = (s64)o->cap + 1;
	return w;
}

static void stp_fmt_pad_emit(struct stp_out *o, const struct stp_fmt_spec *sp,
			     const char *prefix, u32 plen, const char *body, u32 blen,
			     s64 zeros)
{
	s64 width = stp_fmt_width(o, sp);
	s64 pad = width - plen - blen - (zeros > 0 ? zeros : 0);

	if (!(sp->flags & STP_FMT_LEFT) && pad > 0) {
		if ((sp->flags & STP_FMT_ZERO) &&
		    sp->type != STP_FMT_S && sp->type != STP_FMT_C) {
			zeros += pad;
		} else {
			stp_out_fill(o, ' ', pad);
		}
		pad = 0;
	}
	stp_out_bytes(o, prefix, plen);
	stp_out_fill(o, '0', zeros);
	stp_out_bytes(o, body, blen);
	if (pad > 0)
		stp_out_fill(o, ' ', pad);
}

static void stp_fmt_number(struct stp_out *o, const struct stp_fmt_spec *sp, s64 v)
{
	char digits[24], prefix[4];
	u32 nd, plen = 0, base = 10;
	bool upper = false;
	u64 mag = (u64)v;
	s64 zeros = 0;

	switch (sp->type) {
	case STP_FMT_D:
		if (v < 0) {
			prefix[plen++] = '-';
			mag = -(u64)v;
		} else if (sp->flags & STP_FMT_PLUS) {
			prefix[plen++] = '+';
		} else if (sp->flags & STP_FMT_SPACE) {
			prefix[plen++] = ' ';
		}
		break;
	case STP_FMT_O:
		base = 8;
		if (sp->flags & STP_FMT_ALT)		/* also 00, 00010 */
			prefix[plen++] = '0';
		break;
	case STP_FMT_XX:
		upper = true;
		fallthrough;
	case STP_FMT_X:
		base = 16;
		if (sp->flags & STP_FMT_ALT) {		/* also 0x0 */
			prefix[plen++] = '0';
			prefix[plen++] = upper ? 'X' : 'x';
		}
		break;
	case STP_FMT_P:
		base = 16;
		prefix[plen++] = '0';
		prefix[plen++] = 'x';
		break;
	default:	/* STP_FMT_U */
		break;
	}

	nd = stp_fmt_digits(digits, mag, base, upper);	/* %.0d of 0 is "0" */
	if (sp->prec > (s32)nd)
		zeros = sp->prec - nd;
	stp_fmt_pad_emit(o, sp, prefix, plen, digits, nd, zeros);
}

/*
 * %b: the value's low bytes in memory order.  The size is the precision if
 * it is 1, 2, 4 or 8, else the width if it is, else 8.  A wider width pads
 * with NUL bytes (on the right with '-').
 */
static inline bool stp_fmt_bsize_ok(s32 n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static void stp_fmt_binary(struct stp_out *o, const struct stp_fmt_spec *sp, s64 v)
{
	s32 size = stp_fmt_bsize_ok(sp->prec) ? sp->prec : sp->width;
	union { u8 b1; u16 b2; u32 b4; u64 b8; } u;
	s64 pad;

	switch (size) {
	case 1: u.b1 = (u8)v; break;
	case 2: u.b2 = (u16)v; break;
	case 4: u.b4 = (u32)v; break;
	default: size = 8; u.b8 = (u64)v; break;
	}
	pad = stp_fmt_width(o, sp) > size ? stp_fmt_width(o, sp) - size : 0;
	if (!(sp->flags & STP_FMT_LEFT))
		stp_out_fill(o, '\0', pad);
	stp_out_bytes(o, (const char *)&u, size);
	if (sp->flags & STP_FMT_LEFT)
		stp_out_fill(o, '\0', pad);
}

/* %c: one byte; with '#', C-like escapes or octal for non-printables */
static void stp_fmt_char(struct stp_out *o, const struct stp_fmt_spec *sp, s64 v)
{
	char body[4];
	u32 n = 0;
	u8 c = (u8)v;

	if (sp->flags & STP_FMT_ALT) {
		const char *esc = NULL;

		switch (c) {
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		case '\\': esc = "\\\\"; break;
		case '\'': esc = "\\'"; break;	/* '"' stays as it is */
		default: break;
		}
		if (esc) {
			n = strlen(esc);
			memcpy(body, esc, n);
		} else if (c < 0x20 || c >= 0x7f) {
			body[0] = '\\';
			body[1] = '0' + ((c >> 6) & 7);
			body[2] = '0' + ((c >> 3) & 7);
			body[3] = '0' + (c & 7);
			n = 4;
		}
	}
	if (!n)
		body[n++] = (char)c;
	stp_fmt_pad_emit(o, sp, NULL, 0, body, n, 0);
}

static __maybe_unused void stp_fmt_long(struct stp_out *o, const struct stp_fmt_spec *sp, s64 v)
{
	switch (sp->type) {
	case STP_FMT_D:
	case STP_FMT_U:
	case STP_FMT_O:
	case STP_FMT_X:
	case STP_FMT_XX:
	case STP_FMT_P:
		stp_fmt_number(o, sp, v);
		break;
	case STP_FMT_C:
		stp_fmt_char(o, sp, v);
		break;
	case STP_FMT_B:
		stp_fmt_binary(o, sp, v);
		break;
	case STP_FMT_PERCENT:
		stp_out_char(o, '%');
		break;
	default:
		break;
	}
}

static __maybe_unused void stp_fmt_str(struct stp_out *o, const struct stp_fmt_spec *sp,
				       const char *s)
{
	u32 n = strlen(s);

	if (sp->prec >= 0 && (u32)sp->prec < n)
		n = sp->prec;
	stp_fmt_pad_emit(o, sp, NULL, 0, s, n, 0);
	if (sp->flags & STP_FMT_ZERO)	/* SystemTap's %0Ns ends with a NUL byte */
		stp_out_char(o, '\0');
}

static void stp_fmt_fault_msg(char *errbuf, s64 addr)
{
	static const struct stp_fmt_spec px = { STP_FMT_X, 0, STP_FMT_NONE, STP_FMT_NONE };
	struct stp_out e;

	stp_out_init(&e, errbuf, MAXSTRINGLEN - 1);
	stp_out_str(&e, "read fault [man error::fault] at 0x");
	stp_fmt_long(&e, &px, addr);
	stp_out_cstr(&e);
}

/* %m / %M: read prec bytes (default 1) at addr, safely */
static __maybe_unused int stp_fmt_mem(struct stp_out *o, const struct stp_fmt_spec *sp,
				      s64 addr, char *errbuf)
{
	static const char hex[] = "0123456789abcdef";
	s64 n = sp->prec > 0 ? sp->prec : 1;
	s64 outlen = sp->type == STP_FMT_MM ? 2 * n : n;
	s64 pad = stp_fmt_width(o, sp) > outlen ? stp_fmt_width(o, sp) - outlen : 0;
	unsigned long a = (unsigned long)addr;
	char chunk[32], hchunk[64];

	if (!(sp->flags & STP_FMT_LEFT))
		stp_out_fill(o, ' ', pad);
	while (n > 0) {
		u32 k = n > (s64)sizeof(chunk) ? sizeof(chunk) : (u32)n;
		int rc = (sp->flags & STP_FMT_ALT) ? _stp_read_user_mem(chunk, a, k) :
						     _stp_read_kernel_mem(chunk, a, k);
		u32 i;

		if (rc) {
			stp_fmt_fault_msg(errbuf, (s64)a);
			return STP_FMT_EFAULT;
		}
		if (sp->type == STP_FMT_MM) {
			for (i = 0; i < k; i++) {
				hchunk[2 * i] = hex[(u8)chunk[i] >> 4];
				hchunk[2 * i + 1] = hex[(u8)chunk[i] & 15];
			}
			stp_out_bytes(o, hchunk, 2 * k);
		} else {
			stp_out_bytes(o, chunk, k);
		}
		a += k;
		n -= k;
	}
	if (sp->flags & STP_FMT_LEFT)
		stp_out_fill(o, ' ', pad);
	return 0;
}

static __maybe_unused void stp_fmt_star(struct stp_fmt_spec *sp, s64 width, s64 prec)
{
	if (sp->width == STP_FMT_STAR)	/* negative: no width (not '-') */
		sp->width = width < 0 ? STP_FMT_NONE :
			    width > MAXSTRINGLEN * 64 ? MAXSTRINGLEN * 64 : (s32)width;
	if (sp->prec == STP_FMT_STAR)
		sp->prec = prec < 0 ? STP_FMT_NONE :
			   prec > MAXSTRINGLEN * 64 ? MAXSTRINGLEN * 64 : (s32)prec;
}

/* ---------------------------------------------------------------- parsing */

static __maybe_unused enum stp_fmt_argkind stp_fmt_argkind(const struct stp_fmt_spec *sp)
{
	switch (sp->type) {
	case STP_FMT_LITERAL:
	case STP_FMT_PERCENT:
		return STP_FMT_ARG_NONE;
	case STP_FMT_S:
		return STP_FMT_ARG_STR;
	default:
		return STP_FMT_ARG_LONG;
	}
}

static s32 stp_fmt_parse_num(const char **p)
{
	s64 n = 0;

	if (**p == '*') {
		(*p)++;
		return STP_FMT_STAR;
	}
	while (**p >= '0' && **p <= '9') {
		if (n < 0x7fffffff / 10)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return (s32)n;
}

static __maybe_unused int stp_fmt_parse(const char **fmt, struct stp_fmt_spec *sp,
					const char **lit, u32 *litlen)
{
	const char *p = *fmt;

	if (!*p)
		return 0;
	sp->flags = 0;
	sp->width = STP_FMT_NONE;
	sp->prec = STP_FMT_NONE;
	if (*p != '%' || p[1] == '%') {
		if (*p == '%') {	/* %% */
			sp->type = STP_FMT_PERCENT;
			*fmt = p + 2;
			return 1;
		}
		*lit = p;
		while (*p && *p != '%')
			p++;
		*litlen = p - *lit;
		sp->type = STP_FMT_LITERAL;
		*fmt = p;
		return 1;
	}
	p++;
	/* SystemTap takes at most one flag character */
	switch (*p) {
	case '-': sp->flags |= STP_FMT_LEFT; p++; break;
	case '+': sp->flags |= STP_FMT_PLUS; p++; break;
	case ' ': sp->flags |= STP_FMT_SPACE; p++; break;
	case '#': sp->flags |= STP_FMT_ALT; p++; break;
	case '0': sp->flags |= STP_FMT_ZERO; p++; break;
	default: break;
	}
	/* "%+05d": after a flag, "05" is just the width 5 (no zero padding) */
	if ((*p >= '0' && *p <= '9') || *p == '*')
		sp->width = stp_fmt_parse_num(&p);
	if (*p == '.') {
		p++;
		sp->prec = ((*p >= '0' && *p <= '9') || *p == '*') ? stp_fmt_parse_num(&p) : 0;
	}
	if (*p == 'l')		/* accepted and ignored */
		p++;
	switch (*p) {
	case 'd': case 'i': sp->type = STP_FMT_D; break;
	case 'u': sp->type = STP_FMT_U; break;
	case 'o': sp->type = STP_FMT_O; break;
	case 'x': sp->type = STP_FMT_X; break;
	case 'X': sp->type = STP_FMT_XX; break;
	case 'p': sp->type = STP_FMT_P; break;
	case 's': sp->type = STP_FMT_S; break;
	case 'c': sp->type = STP_FMT_C; break;
	case 'b': sp->type = STP_FMT_B; break;
	case 'm': sp->type = STP_FMT_M; break;
	case 'M': sp->type = STP_FMT_MM; break;
	default:
		return -1;
	}
	*fmt = p + 1;
	return 1;
}

static void stp_fmt_errmsg(char *errbuf, const char *msg)
{
	struct stp_out e;

	stp_out_init(&e, errbuf, MAXSTRINGLEN - 1);
	stp_out_str(&e, msg);
	stp_out_cstr(&e);
}

static __maybe_unused int stp_fmt_vformat(struct stp_out *o, const char *fmt,
					  const struct stp_fmt_arg *args, int nargs,
					  char *errbuf)
{
	struct stp_fmt_spec sp;
	const char *lit = NULL;
	u32 litlen = 0, start = o->len;
	int rc, i = 0;

	while ((rc = stp_fmt_parse(&fmt, &sp, &lit, &litlen)) > 0) {
		s64 w = 0, pr = 0;

		if (sp.type == STP_FMT_LITERAL) {
			stp_out_bytes(o, lit, litlen);
			continue;
		}
		if (sp.type == STP_FMT_PERCENT) {
			stp_out_char(o, '%');
			continue;
		}
		if (sp.width == STP_FMT_STAR) {
			if (i >= nargs)
				goto missing;
			w = args[i++].n;
		}
		if (sp.prec == STP_FMT_STAR) {
			if (i >= nargs)
				goto missing;
			pr = args[i++].n;
		}
		stp_fmt_star(&sp, w, pr);
		if (i >= nargs)
			goto missing;
		if (sp.type == STP_FMT_S) {
			stp_fmt_str(o, &sp, args[i].s ? args[i].s : "");
		} else if (sp.type == STP_FMT_M || sp.type == STP_FMT_MM) {
			if (stp_fmt_mem(o, &sp, args[i].n, errbuf))
				goto fail;
		} else {
			stp_fmt_long(o, &sp, args[i].n);
		}
		i++;
	}
	if (rc < 0) {
		stp_fmt_errmsg(errbuf, "invalid or missing conversion specifier");
		goto fail;
	}
	return 0;
missing:
	stp_fmt_errmsg(errbuf, "missing argument for format");
fail:
	if (o->len >= start)	/* drop this printf's partial output */
		o->len = start;
	return -1;
}

static __maybe_unused void stp_fmt_print_long(struct stp_out *o, s64 v)
{
	static const struct stp_fmt_spec d = { STP_FMT_D, 0, STP_FMT_NONE, STP_FMT_NONE };

	stp_fmt_number(o, &d, v);
}
