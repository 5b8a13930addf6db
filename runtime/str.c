/* SPDX-License-Identifier: GPL-2.0 */
/* str.c - string helpers (see str.h) */

static __maybe_unused u32 stp_str_copy(char *dst, const char *src)
{
	u32 i;

	for (i = 0; i < MAXSTRINGLEN - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return i;
}

/* src may be dst itself (s .= s) */
static __maybe_unused u32 stp_str_cat(char *dst, const char *src)
{
	u32 n = strlen(dst);
	size_t m = strnlen(src, MAXSTRINGLEN - 1 - n);

	memmove(dst + n, src, m);
	dst[n + m] = '\0';
	return n + m;
}

static __maybe_unused void stp_str_substr(char *dst, const char *s, s64 start, s64 len)
{
	s64 n = strlen(s), i;

	dst[0] = '\0';
	if (start < 0 || start >= n || len <= 0)
		return;
	if (len > n - start)
		len = n - start;
	if (len > MAXSTRINGLEN - 1)
		len = MAXSTRINGLEN - 1;
	for (i = 0; i < len; i++)
		dst[i] = s[start + i];
	dst[len] = '\0';
}

static __maybe_unused s64 stp_str_pos(const char *s, const char *sub)
{
	const char *p = strstr(s, sub);

	return p ? p - s : -1;
}

static __maybe_unused s64 stp_str_isinstr(const char *s, const char *sub)
{
	return strstr(s, sub) != NULL;
}

static __maybe_unused int stp_str_at(const char *s, s64 pos, s64 *out, const char **errmsg)
{
	if (pos < 0 || pos >= (s64)strlen(s)) {
		*errmsg = STP_MSG_POS_BOUNDS;
		return -1;
	}
	*out = (s8)s[pos];	/* a signed char: "\377" is -1 */
	return 0;
}

static __maybe_unused s64 stp_str_isdigit(const char *s)
{
	return s[0] >= '0' && s[0] <= '9';
}

static __maybe_unused void stp_str_replace(char *dst, const char *s, const char *search,
					   const char *repl)
{
	u32 slen = strlen(search), rlen = strlen(repl), o = 0, i;

	if (!slen) {
		stp_str_copy(dst, s);
		return;
	}
	while (*s && o < MAXSTRINGLEN - 1) {
		if (!strncmp(s, search, slen)) {
			for (i = 0; i < rlen && o < MAXSTRINGLEN - 1; i++)
				dst[o++] = repl[i];
			s += slen;
		} else {
			dst[o++] = *s++;
		}
	}
	dst[o] = '\0';
}

/* strsep-like, but empty tokens are skipped; "" when nothing is left */
static __maybe_unused void stp_str_tokenize(char *dst, struct stp_tok_state *st,
					    const char *input, const char *delim)
{
	if (input[0]) {
		stp_str_copy(st->buf, input);
		st->pos = 0;
	}
	dst[0] = '\0';
	while (st->pos >= 0) {
		char *tok = st->buf + st->pos;
		u32 n = strcspn(tok, delim);

		if (tok[n])
			st->pos += n + 1;
		else
			st->pos = -1;
		if (n) {
			memcpy(dst, tok, n);
			dst[n] = '\0';
			return;
		}
	}
}

static int stp_str_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')	/* the kernel parser stops at 'g', also for base 36 */
		return c - 'a' + 10;
	return 99;
}

/* no blanks, no '+'; a leading '-'; base 0 guesses 0x / 0; wraps on overflow */
static __maybe_unused s64 stp_str_strtol(const char *s, s64 base)
{
	u64 b = (u64)base & 0xffffffffu, v = 0;
	bool neg = false;
	int d;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (b == 0) {
		if (s[0] == '0')
			b = ((s[1] | 0x20) == 'x' && stp_str_digit(s[2]) < 16) ? 16 : 8;
		else
			b = 10;
	}
	if (b == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	while ((d = stp_str_digit(*s)) < 99 && (u64)d < b) {
		v = v * b + d;
		s++;
	}
	return neg ? (s64)(0 - v) : (s64)v;
}

/* the escaped form of byte c into e[5]; returns its length */
static u32 stp_str_escape(u8 c, char *e)
{
	const char *m = NULL;

	switch (c) {
	case '"': m = "\\\""; break;
	case '\\': m = "\\\\"; break;
	case '\a': m = "\\a"; break;
	case '\b': m = "\\b"; break;
	case '\f': m = "\\f"; break;
	case '\n': m = "\\n"; break;
	case '\r': m = "\\r"; break;
	case '\t': m = "\\t"; break;
	case '\v': m = "\\v"; break;
	default: break;
	}
	if (m) {
		e[0] = m[0];
		e[1] = m[1];
		return 2;
	}
	if (c < 0x20 || c >= 0x7f) {
		e[0] = '\\';
		e[1] = '0' + (c >> 6);
		e[2] = '0' + ((c >> 3) & 7);
		e[3] = '0' + (c & 7);
		return 4;
	}
	e[0] = c;
	return 1;
}

/*
 * text_strn(s, len, quoted): escaped pieces while the output stays within
 * len (0: MAXSTRINGLEN - 1) bytes.  Quoted: "all" when the escaped text
 * fits in len, else "prefix"... within len.
 */
static __maybe_unused void stp_str_text(char *dst, const char *s, s64 len, bool quoted)
{
	u32 lim = (len <= 0 || len > MAXSTRINGLEN - 1) ? MAXSTRINGLEN - 1 : (u32)len;
	u32 total = 0, o, i, n;
	const u8 *p;
	char e[5];

	if (!quoted) {
		for (o = 0, p = (const u8 *)s; *p; p++) {
			n = stp_str_escape(*p, e);
			if (o + n > lim)
				break;
			memcpy(dst + o, e, n);
			o += n;
		}
		dst[o] = '\0';
		return;
	}
	for (p = (const u8 *)s; *p && total <= lim; p++)
		total += stp_str_escape(*p, e);
	o = 0;
	dst[o++] = '"';
	if (total <= lim && total + 2 <= MAXSTRINGLEN - 1) {
		for (p = (const u8 *)s; *p; p++)
			o += stp_str_escape(*p, dst + o);
		dst[o++] = '"';
	} else {
		for (p = (const u8 *)s; *p; p++) {
			n = stp_str_escape(*p, e);
			if (o + n + 4 > lim)
				break;
			for (i = 0; i < n; i++)
				dst[o++] = e[i];
		}
		memcpy(dst + o, "\"...", 4);
		o += 4;
		if (o > MAXSTRINGLEN - 1) {	/* len < 5: still `""...` */
			o = MAXSTRINGLEN - 1;
		}
	}
	dst[o] = '\0';
}

/* the address as 0x%x when it cannot be read (NULL included) */
static __maybe_unused void stp_str_kernel_quoted(char *dst, unsigned long addr, char *tmp)
{
	static const char hex[] = "0123456789abcdef";
	u32 i;

	for (i = 0; addr && i < MAXSTRINGLEN - 1; i++) {
		if (_stp_read_kernel_mem(&tmp[i], addr + i, 1))
			break;
		if (!tmp[i]) {
			stp_str_text(dst, tmp, 0, true);
			return;
		}
	}
	if (addr && i == MAXSTRINGLEN - 1) {
		tmp[i] = '\0';
		stp_str_text(dst, tmp, 0, true);
		return;
	}
	/* unreadable: "0x..." */
	{
		char rev[16];
		u32 n = 0, o = 0;

		do {
			rev[n++] = hex[addr & 15];
			addr >>= 4;
		} while (addr);
		dst[o++] = '0';
		dst[o++] = 'x';
		while (n)
			dst[o++] = rev[--n];
		dst[o] = '\0';
	}
}
