/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regex.c - ERE compiler and Pike VM (see regex.h).
 *
 * Jumps are relative, so a block of code can be moved (to insert a SPLIT in
 * front of it) or copied (to expand a{2,3}) without fixing it up.
 */

enum { STP_RE_CHAR, STP_RE_ANY, STP_RE_CLASS, STP_RE_BOL, STP_RE_EOL, STP_RE_SPLIT,
       STP_RE_JMP, STP_RE_SAVE, STP_RE_MATCH };

struct stp_re_frame {		/* an open group while compiling */
	u16 start;		/* its first instruction (SAVE, or 0 at top level) */
	u16 bstart;		/* the current alternative's first instruction */
	u16 atom;		/* the last atom's first instruction */
	u8 group;		/* capture group number, 0 at top level */
	u8 njmp;
	u16 jmp[16];		/* JMPs to the end of the group, from each '|' */
};

struct stp_re_cc {		/* compiler state */
	struct stp_re *re;
	char *err;
	int failed;
};

static void stp_re_error(struct stp_re_cc *cc, const char *msg)
{
	u32 i;

	if (cc->failed)
		return;
	cc->failed = 1;
	for (i = 0; msg[i] && i < MAXSTRINGLEN - 1; i++)
		cc->err[i] = msg[i];
	cc->err[i] = '\0';
}

static int stp_re_room(struct stp_re_cc *cc, u32 n)
{
	if (cc->re->ninsn + n > STP_RE_MAXINSN) {
		stp_re_error(cc, "regular expression too large");
		return 0;
	}
	return 1;
}

static u16 stp_re_emit(struct stp_re_cc *cc, u8 op, u8 c, s16 x, s16 y)
{
	struct stp_re *re = cc->re;

	if (!stp_re_room(cc, 1))
		return 0;
	re->insn[re->ninsn].op = op;
	re->insn[re->ninsn].c = c;
	re->insn[re->ninsn].x = x;
	re->insn[re->ninsn].y = y;
	return re->ninsn++;
}

/* make room for one instruction at 'at' (moving [at, end) up by one) */
static int stp_re_insert(struct stp_re_cc *cc, u16 at, u8 op, s16 x, s16 y)
{
	struct stp_re *re = cc->re;

	if (!stp_re_room(cc, 1))
		return 0;
	memmove(&re->insn[at + 1], &re->insn[at], (re->ninsn - at) * sizeof(re->insn[0]));
	re->ninsn++;
	re->insn[at].op = op;
	re->insn[at].c = 0;
	re->insn[at].x = x;
	re->insn[at].y = y;
	return 1;
}

/* append a copy of [from, to) */
static int stp_re_copy(struct stp_re_cc *cc, u16 from, u16 to)
{
	struct stp_re *re = cc->re;

	if (!stp_re_room(cc, to - from))
		return 0;
	memcpy(&re->insn[re->ninsn], &re->insn[from], (to - from) * sizeof(re->insn[0]));
	re->ninsn += to - from;
	return 1;
}

/* A* A+ A? on the block [a, end) */
static void stp_re_star(struct stp_re_cc *cc, u16 a)
{
	u16 len = cc->re->ninsn - a, j;

	if (!stp_re_insert(cc, a, STP_RE_SPLIT, 1, len + 2))
		return;
	j = stp_re_emit(cc, STP_RE_JMP, 0, 0, 0);
	if (!cc->failed)
		cc->re->insn[j].x = a - j;
}

static void stp_re_plus(struct stp_re_cc *cc, u16 a)
{
	u16 j = stp_re_emit(cc, STP_RE_SPLIT, 0, 0, 1);

	if (!cc->failed)
		cc->re->insn[j].x = a - j;
}

static void stp_re_quest(struct stp_re_cc *cc, u16 a)
{
	stp_re_insert(cc, a, STP_RE_SPLIT, 1, cc->re->ninsn - a + 1);
}

/* A{lo,hi} (hi < 0: no upper bound): copies of the plain block [a, end) */
static void stp_re_bound(struct stp_re_cc *cc, u16 a, int lo, int hi)
{
	u16 len = cc->re->ninsn - a, s;
	int i;

	if (hi >= 0 && hi < lo) {
		stp_re_error(cc, "invalid repetition bounds");
		return;
	}
	if (lo == 0) {
		if (hi == 0) {			/* A{0}: nothing */
			cc->re->ninsn = a;
		} else if (hi < 0) {
			stp_re_star(cc, a);
		} else {			/* (A(A(A)?)?)? */
			for (i = 1; i < hi && !cc->failed; i++)
				stp_re_copy(cc, a, a + len);
			for (i = hi - 1; i >= 0 && !cc->failed; i--)
				stp_re_quest(cc, a + i * len);
		}
		return;
	}
	for (i = 1; i < lo && !cc->failed; i++)
		stp_re_copy(cc, a, a + len);
	if (hi < 0) {
		s = cc->re->ninsn;
		if (stp_re_copy(cc, a, a + len))
			stp_re_star(cc, s);
		return;
	}
	for (i = lo; i < hi && !cc->failed; i++) {
		s = cc->re->ninsn;
		if (stp_re_copy(cc, a, a + len))
			stp_re_quest(cc, s);
	}
}

static void stp_re_setbit(u8 *set, u8 c)
{
	set[c >> 3] |= 1 << (c & 7);
}

static bool stp_re_named(u8 *set, const char *name, u32 n)
{
	static const char *const names[] = { "alpha", "digit", "alnum", "upper", "lower",
		"space", "blank", "punct", "print", "graph", "cntrl", "xdigit" };
	u32 k, c;

	for (k = 0; k < ARRAY_SIZE(names); k++)
		if (strlen(names[k]) == n && !strncmp(names[k], name, n))
			break;
	if (k == ARRAY_SIZE(names))
		return false;
	for (c = 0; c < 256; c++) {
		bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dg = c >= '0' && c <= '9';
		bool sp = c == ' ' || (c >= '\t' && c <= '\r'), pr = c >= 0x20 && c < 0x7f;
		bool in = false;

		switch (k) {
		case 0: in = up || lo; break;
		case 1: in = dg; break;
		case 2: in = up || lo || dg; break;
		case 3: in = up; break;
		case 4: in = lo; break;
		case 5: in = sp; break;
		case 6: in = c == ' ' || c == '\t'; break;
		case 7: in = pr && c != ' ' && !up && !lo && !dg; break;
		case 8: in = pr; break;
		case 9: in = pr && c != ' '; break;
		case 10: in = c < 0x20 || c == 0x7f; break;
		case 11: in = dg || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); break;
		}
		if (in)
			stp_re_setbit(set, c);
	}
	return true;
}

/* a bracket expression at *pp (just after '['); emits CLASS */
static void stp_re_bracket(struct stp_re_cc *cc, const char **pp)
{
	struct stp_re *re = cc->re;
	const u8 *p = (const u8 *)*pp;
	bool neg = false, first = true;
	u8 *set;
	u32 i;

	if (re->nclass >= STP_RE_MAXCLASS) {
		stp_re_error(cc, "too many bracket expressions");
		return;
	}
	set = re->class[re->nclass];
	memset(set, 0, 32);
	if (*p == '^') {
		neg = true;
		p++;
	}
	while (*p && (first || *p != ']')) {
		u32 lo = *p, hi;

		first = false;
		if (p[0] == '[' && p[1] == ':') {
			const char *name = (const char *)p + 2, *e = strstr(name, ":]");

			if (!e || !stp_re_named(set, name, e - name)) {
				stp_re_error(cc, "invalid character class");
				return;
			}
			p = (const u8 *)e + 2;
			continue;
		}
		p++;
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			hi = p[1];
			p += 2;
			if (hi < lo) {
				stp_re_error(cc, "invalid range in bracket expression");
				return;
			}
		}
		for (i = lo; i <= hi; i++)
			stp_re_setbit(set, i);
	}
	if (*p != ']') {
		stp_re_error(cc, "unbalanced [");
		return;
	}
	*pp = (const char *)p + 1;
	if (neg)
		for (i = 0; i < 32; i++)
			set[i] = ~set[i];
	set[0] &= ~1;			/* never NUL */
	stp_re_emit(cc, STP_RE_CLASS, re->nclass++, 0, 0);
}

static int stp_re_number(const char **pp)
{
	int n = -1;

	while (**pp >= '0' && **pp <= '9') {
		n = (n < 0 ? 0 : n) * 10 + (**pp - '0');
		if (n > 1000)
			n = 1000;
		(*pp)++;
	}
	return n;
}

/* close the alternatives of frame f at the current end */
static void stp_re_close_alts(struct stp_re_cc *cc, struct stp_re_frame *f)
{
	u32 i;

	for (i = 0; i < f->njmp && !cc->failed; i++)
		cc->re->insn[f->jmp[i]].x = cc->re->ninsn - f->jmp[i];
}

static __maybe_unused int stp_re_compile(struct stp_re *re, const char *pattern, char *errbuf)
{
	struct stp_re_frame st[STP_RE_MAXDEPTH + 1], *f = st;
	struct stp_re_cc cc = { re, errbuf, 0 };
	const char *p = pattern;

	memset(re, 0, sizeof(*re));
	re->ngroup = 1;
	stp_re_emit(&cc, STP_RE_SAVE, 0, 0, 0);
	memset(f, 0, sizeof(*f));
	f->start = f->bstart = f->atom = re->ninsn;

	while (*p && !cc.failed) {
		u16 here = re->ninsn;
		char c = *p++;

		switch (c) {
		case '(':
			if (f == &st[STP_RE_MAXDEPTH] || re->ngroup >= STP_RE_MAXGROUP) {
				stp_re_error(&cc, "too many parentheses");
				break;
			}
			f++;
			memset(f, 0, sizeof(*f));
			f->group = re->ngroup++;
			f->start = here;
			stp_re_emit(&cc, STP_RE_SAVE, 2 * f->group, 0, 0);
			f->bstart = f->atom = re->ninsn;
			continue;
		case ')':
			if (f == st) {
				stp_re_error(&cc, "unbalanced )");
				break;
			}
			stp_re_close_alts(&cc, f);
			stp_re_emit(&cc, STP_RE_SAVE, 2 * f->group + 1, 0, 0);
			here = f->start;
			f--;
			f->atom = here;
			continue;
		case '|':
			if (f->njmp >= ARRAY_SIZE(f->jmp)) {
				stp_re_error(&cc, "too many alternatives");
				break;
			}
			/* SPLIT in front of this alternative, JMP to the end after it */
			if (!stp_re_insert(&cc, f->bstart, STP_RE_SPLIT, 1,
					   re->ninsn - f->bstart + 2))
				break;
			f->jmp[f->njmp++] = stp_re_emit(&cc, STP_RE_JMP, 0, 0, 0);
			f->bstart = f->atom = re->ninsn;
			continue;
		case '*':
			stp_re_star(&cc, f->atom);
			continue;
		case '+':
			stp_re_plus(&cc, f->atom);
			continue;
		case '?':
			stp_re_quest(&cc, f->atom);
			continue;
		case '{':
			if (*p >= '0' && *p <= '9') {
				int lo = stp_re_number(&p), hi = lo;

				if (*p == ',') {
					p++;
					hi = stp_re_number(&p);
				}
				if (*p != '}') {
					stp_re_error(&cc, "invalid repetition");
					break;
				}
				p++;
				stp_re_bound(&cc, f->atom, lo, hi);
				continue;
			}
			stp_re_emit(&cc, STP_RE_CHAR, c, 0, 0);
			break;
		case '[':
			stp_re_bracket(&cc, &p);
			break;
		case '.':
			stp_re_emit(&cc, STP_RE_ANY, 0, 0, 0);
			break;
		case '^':
			stp_re_emit(&cc, STP_RE_BOL, 0, 0, 0);
			break;
		case '$':
			stp_re_emit(&cc, STP_RE_EOL, 0, 0, 0);
			break;
		case '\\':
			if (!*p) {
				stp_re_error(&cc, "trailing backslash");
				break;
			}
			stp_re_emit(&cc, STP_RE_CHAR, *p++, 0, 0);
			break;
		default:
			stp_re_emit(&cc, STP_RE_CHAR, c, 0, 0);
			break;
		}
		f->atom = here;
	}
	if (!cc.failed && f != st)
		stp_re_error(&cc, "unbalanced (");
	stp_re_close_alts(&cc, f);
	stp_re_emit(&cc, STP_RE_SAVE, 1, 0, 0);
	stp_re_emit(&cc, STP_RE_MATCH, 0, 0, 0);
	return cc.failed ? -1 : 0;
}

/* ---------------------------------------------------------------- matching */

/*
 * Scratch layout, for n = ninsn and k = 2 * ngroup capture slots:
 * two thread lists (pc[n], caps[n][k]), mark[n], and a stack of 2n
 * (pc, caps[k]) entries for following SPLIT/JMP/SAVE without recursion.
 */
struct stp_re_list {
	u32 n;
	u16 *pc;
	s32 *caps;
};

static __maybe_unused u32 stp_re_worksize(const struct stp_re *re)
{
	u32 n = re->ninsn, k = 2 * re->ngroup;

	return 2 * (n * 2 + n * k * 4) + n * 4 + 2 * n * (4 + k * 4) + 64;
}

struct stp_re_vm {
	const struct stp_re *re;
	u32 k;			/* capture slots */
	u32 *mark, gen;
	u32 *spc;		/* stack: pcs */
	s32 *scaps;		/* stack: caps */
};

/* add pc (with caps) and what it leads to without consuming a byte */
static void stp_re_add(struct stp_re_vm *vm, struct stp_re_list *l, u32 pc0, const s32 *caps0,
		       const char *s, u32 pos)
{
	const struct stp_re *re = vm->re;
	u32 sp = 0, k = vm->k;

	vm->spc[sp] = pc0;
	memcpy(&vm->scaps[sp * k], caps0, k * 4);
	sp++;
	while (sp) {
		u32 pc;
		s32 *caps;
		const struct stp_re_insn *in;

		sp--;
		pc = vm->spc[sp];
		caps = &vm->scaps[sp * k];
		if (vm->mark[pc] == vm->gen)
			continue;
		vm->mark[pc] = vm->gen;
		in = &re->insn[pc];
		switch (in->op) {
		case STP_RE_JMP:
			vm->spc[sp++] = pc + in->x;	/* caps stay in place */
			break;
		case STP_RE_SPLIT:
			/* y below x on the stack: x is followed first */
			memcpy(&vm->scaps[(sp + 1) * k], caps, k * 4);
			vm->spc[sp] = pc + in->y;
			vm->spc[sp + 1] = pc + in->x;
			sp += 2;
			break;
		case STP_RE_SAVE:
			caps[in->c] = pos;
			vm->spc[sp++] = pc + 1;
			break;
		case STP_RE_BOL:
			if (pos == 0)
				vm->spc[sp++] = pc + 1;
			break;
		case STP_RE_EOL:
			if (!s[pos])
				vm->spc[sp++] = pc + 1;
			break;
		default:		/* consumes a byte, or MATCH */
			l->pc[l->n] = pc;
			memcpy(&l->caps[l->n * k], caps, k * 4);
			l->n++;
			break;
		}
	}
}

static __maybe_unused int stp_re_match(const struct stp_re *re, const char *s,
				       struct stp_re_match *m, void *work)
{
	u32 n = re->ninsn, k = 2 * re->ngroup, pos, i;
	struct stp_re_list a, b, *cur = &a, *next = &b, *t;
	struct stp_re_vm vm = { .re = re, .k = k, .gen = 1 };
	s32 best[2 * STP_RE_MAXGROUP], seed[2 * STP_RE_MAXGROUP];
	bool found = false;
	char *w = work;

	a.pc = (u16 *)w;
	w += n * 2;
	b.pc = (u16 *)w;
	w += n * 2;
	w = (char *)(((unsigned long)w + 7) & ~7UL);
	a.caps = (s32 *)w;
	w += n * k * 4;
	b.caps = (s32 *)w;
	w += n * k * 4;
	vm.mark = (u32 *)w;
	w += n * 4;
	vm.spc = (u32 *)w;
	w += 2 * n * 4;
	vm.scaps = (s32 *)w;
	memset(vm.mark, 0, n * 4);
	a.n = b.n = 0;

	for (pos = 0;; pos++) {
		u8 c = s[pos];

		if (!found) {		/* a match may also start here (same gen as cur) */
			for (i = 0; i < k; i++)
				seed[i] = -1;
			stp_re_add(&vm, cur, 0, seed, s, pos);
		}
		if (!cur->n)
			break;
		vm.gen++;
		next->n = 0;
		for (i = 0; i < cur->n; i++) {
			const struct stp_re_insn *in = &re->insn[cur->pc[i]];
			s32 *caps = &cur->caps[i * k];
			bool ok = false;

			if (found && caps[0] > best[0])
				continue;	/* starts after the leftmost match */
			switch (in->op) {
			case STP_RE_MATCH:
				if (!found || caps[0] < best[0] ||
				    (caps[0] == best[0] && caps[1] > best[1])) {
					memcpy(best, caps, k * 4);
					found = true;
				}
				break;
			case STP_RE_CHAR:
				ok = c && c == in->c;
				break;
			case STP_RE_ANY:
				ok = c != 0;
				break;
			case STP_RE_CLASS:
				ok = (re->class[in->c][c >> 3] >> (c & 7)) & 1;
				break;
			}
			if (ok)
				stp_re_add(&vm, next, cur->pc[i] + 1, caps, s, pos + 1);
		}
		t = cur;
		cur = next;
		next = t;
		if (!c)
			break;
	}
	if (!found)
		return 0;
	m->ngroup = re->ngroup;
	for (i = 0; i < STP_RE_MAXGROUP; i++) {
		bool set = i < re->ngroup && best[2 * i] >= 0 && best[2 * i + 1] >= 0;

		m->start[i] = set ? best[2 * i] : -1;
		m->end[i] = set ? best[2 * i + 1] : -1;
	}
	return 1;
}

static __maybe_unused int stp_re_matched(char *dst, const char *s, const struct stp_re_match *m,
					 s64 n)
{
	s32 len, i;

	dst[0] = '\0';
	if (n < 0 || n >= m->ngroup)
		return -1;
	if (m->start[n] < 0)
		return 0;
	len = m->end[n] - m->start[n];
	if (len > MAXSTRINGLEN - 1)
		len = MAXSTRINGLEN - 1;
	for (i = 0; i < len; i++)
		dst[i] = s[m->start[n] + i];
	dst[len] = '\0';
	return 0;
}
