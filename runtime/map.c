/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map.c - associative arrays (see map.h).
 *
 * Sorting follows SystemTap 4.8 observably: a full sort is a stable merge
 * sort of the order list (here bottom-up over the preallocated sortbuf, no
 * recursion); "limit N" with 0 < N <= 30 does SystemTap's partial sort (a
 * bubble sort of the first N, then an insertion pass of the rest into the
 * top N), whose side effect on the rest of the order is visible to a later
 * unsorted foreach.
 */

#define STP_ALIGN8(x)	(((x) + 7) & ~(u32)7)

/* ------------------------------------------------------------------ setup */

static __maybe_unused int stp_map_init(struct stp_map *m, const struct stp_map_desc *d)
{
	u32 i, off = 0, nb = 16, shift = 64 - 4, maxent;
	size_t sz;
	char *p;

	memset(m, 0, sizeof(*m));
	m->d = *d;
	if (!m->d.maxent)
		m->d.maxent = MAXMAPENTRIES;
	if (!m->d.kstrlen)
		m->d.kstrlen = MAXSTRINGLEN;
	if (!m->d.vstrlen)
		m->d.vstrlen = MAXSTRINGLEN;
	if (m->d.nkeys < 1 || m->d.nkeys > STP_MAP_MAXKEYS)
		return -EINVAL;
	maxent = m->d.maxent;
	for (i = 0; i < m->d.nkeys; i++) {
		m->koff[i] = off;
		off += m->d.ktype[i] == STP_T_STR ? STP_ALIGN8(m->d.kstrlen) : 8;
	}
	m->voff = off;
	switch (m->d.vtype) {
	case STP_T_STR: off += STP_ALIGN8(m->d.vstrlen); break;
	case STP_T_STAT: off += STP_ALIGN8(stp_stat_dsize(&m->d.hist)); break;
	default: off += 8; break;
	}
	m->esize = off;
	while (nb < maxent && nb < 0x40000000u) {
		nb <<= 1;
		shift--;
	}
	m->hmask = nb - 1;
	m->hshift = shift;

	sz = (size_t)nb * 4 + (size_t)maxent * 4 * 5;
	sz = (sz + 7) & ~(size_t)7;
	m->mem = _stp_data_zalloc(sz + (size_t)maxent * m->esize);
	if (!m->mem)
		return -ENOMEM;
	p = m->mem;
	m->buckets = (u32 *)p;
	m->hnext = m->buckets + nb;
	m->lprev = m->hnext + maxent;
	m->lnext = m->lprev + maxent;
	m->sortbuf = m->lnext + maxent;
	m->data = p + sz;
	stp_map_clear(m);
	return 0;
}

static __maybe_unused void stp_map_free(struct stp_map *m)
{
	if (m->mem)
		_stp_data_free(m->mem);
	m->mem = NULL;
}

static __maybe_unused u32 stp_map_size(const struct stp_map *m)
{
	return m->num;
}

static __maybe_unused void stp_map_clear(struct stp_map *m)
{
	u32 i;

	memset(m->buckets, 0xff, (m->hmask + 1) * 4);
	for (i = 0; i < m->d.maxent; i++)
		m->lnext[i] = i + 1 < m->d.maxent ? i + 1 : STP_NIL;
	m->freelist = m->d.maxent ? 0 : STP_NIL;
	m->head = m->tail = STP_NIL;
	m->num = 0;
}

/* -------------------------------------------------------- keys and hashes */

static inline char *stp_map_entry(const struct stp_map *m, u32 e)
{
	return m->data + (size_t)e * m->esize;
}

static inline u64 stp_mix64(u64 x)	/* MurmurHash3's 64-bit finaliser */
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* one long key (the common case: pid, tid, syscall number...) */
static inline bool stp_map_one_long(const struct stp_map *m)
{
	return m->d.nkeys == 1 && m->d.ktype[0] != STP_T_STR;
}

/*
 * The hash of one long key, as stp_map_hash() computes it: Fibonacci
 * hashing (the top bits of key * 2^64/phi), two instructions on the hit
 * path; it spreads runs of pids and aligned addresses over the buckets.
 */
static inline u32 stp_map_hash_long(const struct stp_map *m, s64 key)
{
	return (u32)(((u64)key * 0x9e3779b97f4a7c15ULL) >> m->hshift);
}

static u32 stp_map_hash(const struct stp_map *m, const union stp_key *k)
{
	u64 h = 0x9e3779b97f4a7c15ULL;
	u32 i, j;

	if (stp_map_one_long(m))
		return stp_map_hash_long(m, k[0].n);

	for (i = 0; i < m->d.nkeys; i++) {
		u64 kh;

		if (m->d.ktype[i] == STP_T_STR) {
			const u8 *s = (const u8 *)k[i].s;

			kh = 0xcbf29ce484222325ULL;		/* FNV-1a over the stored part */
			for (j = 0; j + 1 < m->d.kstrlen && s[j]; j++)
				kh = (kh ^ s[j]) * 0x100000001b3ULL;
		} else {
			kh = (u64)k[i].n;
		}
		h = stp_mix64(h ^ kh) + i;
	}
	return (u32)(h ^ (h >> 32)) & m->hmask;
}

/* a stored (truncated) string key equals s truncated the same way */
static bool stp_map_streq(const char *stored, const char *s, u32 cap)
{
	u32 i;

	for (i = 0; i + 1 < cap; i++) {
		if (stored[i] != s[i])
			return false;
		if (!s[i])
			return true;
	}
	return true;
}

static bool stp_map_keyeq(const struct stp_map *m, u32 e, const union stp_key *k)
{
	const char *ent = stp_map_entry(m, e);
	u32 i;

	for (i = 0; i < m->d.nkeys; i++) {
		const char *kp = ent + m->koff[i];

		if (m->d.ktype[i] == STP_T_STR) {
			if (!stp_map_streq(kp, k[i].s, m->d.kstrlen))
				return false;
		} else if (*(const s64 *)kp != k[i].n) {
			return false;
		}
	}
	return true;
}

static __maybe_unused s64 stp_map_key_long(const struct stp_map *m, u32 e, int i)
{
	return *(const s64 *)(stp_map_entry(m, e) + m->koff[i]);
}

static __maybe_unused const char *stp_map_key_str(const struct stp_map *m, u32 e, int i)
{
	return stp_map_entry(m, e) + m->koff[i];
}

static __maybe_unused s64 *stp_map_val_long(const struct stp_map *m, u32 e)
{
	return (s64 *)(stp_map_entry(m, e) + m->voff);
}

static __maybe_unused char *stp_map_val_str(const struct stp_map *m, u32 e)
{
	return stp_map_entry(m, e) + m->voff;
}

static __maybe_unused struct stp_stat_data *stp_map_val_stat(const struct stp_map *m, u32 e)
{
	return (struct stp_stat_data *)(stp_map_entry(m, e) + m->voff);
}

/* bounded copy, always NUL-terminated */
static void stp_map_strcpy(char *dst, const char *src, u32 cap)
{
	u32 i;

	for (i = 0; i + 1 < cap && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* ----------------------------------------------------------- find/insert */

static __maybe_unused u32 stp_map_find(const struct stp_map *m, const union stp_key *k)
{
	u32 e;

	if (stp_map_one_long(m)) {
		s64 key = k[0].n;

		e = m->buckets[stp_map_hash_long(m, key)];
		while (e != STP_NIL && *(const s64 *)(stp_map_entry(m, e) + m->koff[0]) != key)
			e = m->hnext[e];
		return e;
	}
	e = m->buckets[stp_map_hash(m, k)];
	while (e != STP_NIL && !stp_map_keyeq(m, e, k))
		e = m->hnext[e];
	return e;
}

static __maybe_unused bool stp_map_exists(const struct stp_map *m, const union stp_key *k)
{
	return stp_map_find(m, k) != STP_NIL;
}

/* out of line: its key array would cost every handler that inserts a stack
 * frame and a canary */
static noinline __maybe_unused void stp_map_del_entry(struct stp_map *m, u32 e)
{
	char *ent = stp_map_entry(m, e);
	union stp_key k[STP_MAP_MAXKEYS];
	u32 i, *pp;

	for (i = 0; i < m->d.nkeys; i++) {
		if (m->d.ktype[i] == STP_T_STR)
			k[i].s = ent + m->koff[i];
		else
			k[i].n = *(s64 *)(ent + m->koff[i]);
	}
	pp = &m->buckets[stp_map_hash(m, k)];
	while (*pp != e)
		pp = &m->hnext[*pp];
	*pp = m->hnext[e];

	if (m->lprev[e] != STP_NIL)
		m->lnext[m->lprev[e]] = m->lnext[e];
	else
		m->head = m->lnext[e];
	if (m->lnext[e] != STP_NIL)
		m->lprev[m->lnext[e]] = m->lprev[e];
	else
		m->tail = m->lprev[e];

	m->lnext[e] = m->freelist;
	m->freelist = e;
	m->num--;
}

static __maybe_unused u32 stp_map_insert(struct stp_map *m, const union stp_key *k)
{
	u32 e = stp_map_find(m, k), h, i;
	char *ent;

	if (e != STP_NIL)
		return e;
	if (m->freelist == STP_NIL) {
		if (!m->d.wrap || m->head == STP_NIL)
			return STP_NIL;
		stp_map_del_entry(m, m->head);	/* % array: reuse the oldest */
	}
	e = m->freelist;
	m->freelist = m->lnext[e];

	ent = stp_map_entry(m, e);
	memset(ent + m->voff, 0, m->esize - m->voff);
	for (i = 0; i < m->d.nkeys; i++) {
		if (m->d.ktype[i] == STP_T_STR)
			stp_map_strcpy(ent + m->koff[i], k[i].s, m->d.kstrlen);
		else
			*(s64 *)(ent + m->koff[i]) = k[i].n;
	}
	h = stp_map_hash(m, k);
	m->hnext[e] = m->buckets[h];
	m->buckets[h] = e;

	m->lnext[e] = STP_NIL;
	m->lprev[e] = m->tail;
	if (m->tail != STP_NIL)
		m->lnext[m->tail] = e;
	else
		m->head = e;
	m->tail = e;
	m->num++;
	return e;
}

/*
 * Maps of one long key and a long value (counts[pid()]++ and the like):
 * the translator calls these with the key itself.  Their entries are
 * { s64 key; s64 value; } (stp_map_init's layout for them).
 */
#define STP_MAP_L1_VOFF	8
#define STP_MAP_L1_ESIZE	16

static __always_inline u32 stp_map_find_l1(const struct stp_map *m, s64 key)
{
	u32 e = m->buckets[stp_map_hash_long(m, key)];

	while (e != STP_NIL && *(const s64 *)(m->data + (size_t)e * STP_MAP_L1_ESIZE) != key)
		e = m->hnext[e];
	return e;
}

/* out of line: the key array would cost the hit path a stack canary */
static noinline __maybe_unused u32 stp_map_insert_l1(struct stp_map *m, s64 key)
{
	union stp_key k[1] = { { .n = key } };

	return stp_map_insert(m, k);
}

static __maybe_unused s64 stp_map_get_l1(const struct stp_map *m, s64 key)
{
	u32 e = stp_map_find_l1(m, key);

	return e == STP_NIL ? 0 : *(const s64 *)(m->data + (size_t)e * STP_MAP_L1_ESIZE +
						 STP_MAP_L1_VOFF);
}

/* m[key] += v; *sum = the new value */
static __always_inline int stp_map_add_l1(struct stp_map *m, s64 key, s64 v, s64 *sum)
{
	u32 e = stp_map_find_l1(m, key);
	s64 *val;

	if (unlikely(e == STP_NIL)) {
		e = stp_map_insert_l1(m, key);
		if (e == STP_NIL)
			return STP_MAP_EFULL;
	}
	val = (s64 *)(m->data + (size_t)e * STP_MAP_L1_ESIZE + STP_MAP_L1_VOFF);
	*val = (s64)((u64)*val + (u64)v);
	*sum = *val;
	return STP_MAP_OK;
}

/* ----------------------------------------------------------------- values */

static __maybe_unused s64 stp_map_get_long(const struct stp_map *m, const union stp_key *k)
{
	u32 e = stp_map_find(m, k);

	return e == STP_NIL ? 0 : *stp_map_val_long(m, e);
}

static __maybe_unused const char *stp_map_get_str(const struct stp_map *m,
						  const union stp_key *k)
{
	u32 e = stp_map_find(m, k);

	return e == STP_NIL ? "" : stp_map_val_str(m, e);
}

static __maybe_unused int stp_map_set_long(struct stp_map *m, const union stp_key *k, s64 v)
{
	u32 e = stp_map_insert(m, k);

	if (e == STP_NIL)
		return STP_MAP_EFULL;
	*stp_map_val_long(m, e) = v;
	return STP_MAP_OK;
}

static __maybe_unused int stp_map_add_long(struct stp_map *m, const union stp_key *k, s64 v,
					   s64 *sum)
{
	u32 e = stp_map_insert(m, k);
	s64 *val;

	if (e == STP_NIL)
		return STP_MAP_EFULL;
	val = stp_map_val_long(m, e);
	*val = (s64)((u64)*val + (u64)v);
	*sum = *val;
	return STP_MAP_OK;
}

static __maybe_unused int stp_map_set_str(struct stp_map *m, const union stp_key *k,
					  const char *s)
{
	u32 e = stp_map_insert(m, k);

	if (e == STP_NIL)
		return STP_MAP_EFULL;
	stp_map_strcpy(stp_map_val_str(m, e), s, m->d.vstrlen);
	return STP_MAP_OK;
}

static __maybe_unused int stp_map_add_stat(struct stp_map *m, const union stp_key *k, s64 v)
{
	u32 e = stp_map_insert(m, k);

	if (e == STP_NIL)
		return STP_MAP_EFULL;
	stp_sd_add(stp_map_val_stat(m, e), &m->d.hist, m->d.stat_ops, m->d.shift, v);
	return STP_MAP_OK;
}

static __maybe_unused void stp_map_delete(struct stp_map *m, const union stp_key *k)
{
	u32 e = stp_map_find(m, k);

	if (e != STP_NIL)
		stp_map_del_entry(m, e);
}

/* ----------------------------------------------------------------- slices */

static __maybe_unused bool stp_map_match(const struct stp_map *m, u32 e,
					 const union stp_key *k, u16 wild)
{
	const char *ent = stp_map_entry(m, e);
	u32 i;

	for (i = 0; i < m->d.nkeys; i++) {
		const char *kp = ent + m->koff[i];

		if (wild & (1u << i))
			continue;
		if (m->d.ktype[i] == STP_T_STR) {
			if (!stp_map_streq(kp, k[i].s, m->d.kstrlen))
				return false;
		} else if (*(const s64 *)kp != k[i].n) {
			return false;
		}
	}
	return true;
}

static __maybe_unused bool stp_map_exists_slice(const struct stp_map *m,
						const union stp_key *k, u16 wild)
{
	u32 e;

	if (!wild)
		return stp_map_exists(m, k);
	for (e = m->head; e != STP_NIL; e = m->lnext[e])
		if (stp_map_match(m, e, k, wild))
			return true;
	return false;
}

static __maybe_unused void stp_map_delete_slice(struct stp_map *m, const union stp_key *k,
						u16 wild)
{
	u32 e, next;

	if (!wild) {
		stp_map_delete(m, k);
		return;
	}
	for (e = m->head; e != STP_NIL; e = next) {
		next = m->lnext[e];
		if (stp_map_match(m, e, k, wild))
			stp_map_del_entry(m, e);
	}
}

/* ---------------------------------------------------------------- sorting */

static int stp_map_strcmp(const char *a, const char *b)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

static s64 stp_map_statkey(const struct stp_stat_data *sd, u8 op)
{
	switch (op) {
	case STP_STAT_SUM: return sd->sum;
	case STP_STAT_MIN: return sd->min;
	case STP_STAT_MAX: return sd->max;
	case STP_STAT_AVG: return stp_sdiv(sd->sum, sd->count);
	default: return sd->count;
	}
}

/* <0, 0, >0: x before, tied with, after y in ascending order */
static int stp_map_cmp(const struct stp_map *m, const struct stp_map_sort *s, u32 x, u32 y)
{
	s64 a, b;

	if (s->key) {
		int i = s->key - 1;

		if (m->d.ktype[i] == STP_T_STR)
			return stp_map_strcmp(stp_map_key_str(m, x, i), stp_map_key_str(m, y, i));
		a = stp_map_key_long(m, x, i);
		b = stp_map_key_long(m, y, i);
	} else if (m->d.vtype == STP_T_STR) {
		return stp_map_strcmp(stp_map_val_str(m, x), stp_map_val_str(m, y));
	} else if (m->d.vtype == STP_T_STAT) {
		a = stp_map_statkey(stp_map_val_stat(m, x), s->op);
		b = stp_map_statkey(stp_map_val_stat(m, y), s->op);
	} else {
		a = *stp_map_val_long(m, x);
		b = *stp_map_val_long(m, y);
	}
	return (a > b) - (a < b);
}

/* must x come after y? (ties keep their order) */
static inline bool stp_map_after(const struct stp_map *m, const struct stp_map_sort *s,
				 u32 x, u32 y)
{
	int c = stp_map_cmp(m, s, x, y);

	return s->dir < 0 ? c < 0 : c > 0;
}

static void stp_map_list_del(struct stp_map *m, u32 e)
{
	if (m->lprev[e] != STP_NIL)
		m->lnext[m->lprev[e]] = m->lnext[e];
	else
		m->head = m->lnext[e];
	if (m->lnext[e] != STP_NIL)
		m->lprev[m->lnext[e]] = m->lprev[e];
	else
		m->tail = m->lprev[e];
}

/* put e after pos (pos == STP_NIL: at the front) */
static void stp_map_list_add_after(struct stp_map *m, u32 e, u32 pos)
{
	u32 next = pos == STP_NIL ? m->head : m->lnext[pos];

	m->lprev[e] = pos;
	m->lnext[e] = next;
	if (pos == STP_NIL)
		m->head = e;
	else
		m->lnext[pos] = e;
	if (next == STP_NIL)
		m->tail = e;
	else
		m->lprev[next] = e;
}

/* stable bottom-up merge sort of the whole list, through sortbuf */
static void stp_map_sort_all(struct stp_map *m, const struct stp_map_sort *s)
{
	u32 *a = m->sortbuf, *b = m->sortbuf + m->d.maxent, *t;
	u32 n = 0, w, i, e;

	for (e = m->head; e != STP_NIL; e = m->lnext[e])
		a[n++] = e;
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			u32 l = i, mid = i + w < n ? i + w : n;
			u32 r = mid, end = i + 2 * w < n ? i + 2 * w : n, o = i;

			while (l < mid && r < end)
				b[o++] = stp_map_after(m, s, a[l], a[r]) ? a[r++] : a[l++];
			while (l < mid)
				b[o++] = a[l++];
			while (r < end)
				b[o++] = a[r++];
		}
		t = a;
		a = b;
		b = t;
	}
	m->head = m->tail = STP_NIL;
	for (i = 0; i < n; i++)
		stp_map_list_add_after(m, a[i], m->tail);
}

/* SystemTap's partial sort for "limit n": the top n end up first */
static void stp_map_sort_top(struct stp_map *m, const struct stp_map_sort *s, u32 n)
{
	u32 a, c, last, next;
	bool swapped = true;

	if (m->head == STP_NIL)
		return;
	/* bubble sort of the first n */
	while (swapped) {
		u32 left = n;

		swapped = false;
		a = m->head;
		while (m->lnext[a] != STP_NIL && --left > 0) {
			u32 b = m->lnext[a];

			if (stp_map_after(m, s, a, b)) {
				stp_map_list_del(m, a);		/* b a: a goes on */
				stp_map_list_add_after(m, a, b);
				swapped = true;
			} else {
				a = b;
			}
		}
	}
	/* insert each later element into the top n where it belongs */
	last = a;
	for (a = m->lnext[a]; a != STP_NIL; a = next) {
		next = m->lnext[a];
		c = last;
		while (c != STP_NIL && stp_map_after(m, s, c, a))
			c = m->lprev[c];
		if (c != last) {
			stp_map_list_del(m, a);
			stp_map_list_add_after(m, a, c);
			last = m->lprev[last];
		}
	}
}

static __maybe_unused void stp_map_sort(struct stp_map *m, const struct stp_map_sort *s,
					u32 limit)
{
	if (limit == 0 || limit > STP_MAP_SORTN_MAX)
		stp_map_sort_all(m, s);
	else
		stp_map_sort_top(m, s, limit);
}

/* -------------------------------------------------------------- iteration */

static __maybe_unused void stp_map_iter_start(const struct stp_map *m, struct stp_map_iter *it,
					      s64 limit, const union stp_key *slice, u16 wild)
{
	it->e = STP_NIL;
	it->next = m->head;
	it->left = limit > 0 ? limit : -1;
	it->slice = slice;
	it->wild = wild;
}

static __maybe_unused bool stp_map_iter_next(const struct stp_map *m, struct stp_map_iter *it)
{
	while (it->next != STP_NIL && it->left != 0) {
		u32 e = it->next;

		it->next = m->lnext[e];
		if (it->slice && !stp_map_match(m, e, it->slice, it->wild))
			continue;
		if (it->left > 0)
			it->left--;
		it->e = e;
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ pmaps */

static __maybe_unused int stp_pmap_init(struct stp_pmap *p, const struct stp_map_desc *d)
{
	int cpu, rc;

	memset(p, 0, sizeof(*p));
	p->cpu = _stp_data_zalloc(sizeof(struct stp_map) * _stp_nr_cpus());
	if (!p->cpu)
		return -ENOMEM;
	_stp_for_each_cpu(cpu) {
		rc = stp_map_init(&p->cpu[cpu], d);
		if (rc)
			goto fail;
	}
	rc = stp_map_init(&p->agg, d);
	if (rc)
		goto fail;
	p->agg.d.wrap = 0;
	return 0;
fail:
	stp_pmap_free(p);
	return rc;
}

static __maybe_unused void stp_pmap_free(struct stp_pmap *p)
{
	int cpu;

	if (p->cpu) {
		_stp_for_each_cpu(cpu)
			stp_map_free(&p->cpu[cpu]);
		_stp_data_free(p->cpu);
	}
	p->cpu = NULL;
	stp_map_free(&p->agg);
}

static __maybe_unused int stp_pmap_add(struct stp_pmap *p, const union stp_key *k, s64 v)
{
	return stp_map_add_stat(&p->cpu[_stp_this_cpu()], k, v);
}

static __maybe_unused struct stp_stat_data *stp_pmap_get(struct stp_pmap *p,
							 const union stp_key *k)
{
	struct stp_map *agg = &p->agg;
	u32 e = stp_map_find(agg, k);
	bool any = false;
	int cpu;

	_stp_for_each_cpu(cpu) {
		struct stp_map *m = &p->cpu[cpu];
		u32 ce = stp_map_find(m, k);

		if (ce == STP_NIL)
			continue;
		if (!any) {
			if (e == STP_NIL)
				e = stp_map_insert(agg, k);
			if (e == STP_NIL)
				return NULL;
			stp_sd_clear(stp_map_val_stat(agg, e), &agg->d.hist);
			any = true;
		}
		stp_sd_merge(stp_map_val_stat(agg, e), stp_map_val_stat(m, ce), &agg->d.hist,
			     agg->d.shift);
	}
	if (!any) {
		if (e != STP_NIL)
			stp_map_del_entry(agg, e);
		return NULL;
	}
	return stp_map_val_stat(agg, e);
}

static __maybe_unused int stp_pmap_agg(struct stp_pmap *p)
{
	struct stp_map *agg = &p->agg;
	union stp_key k[STP_MAP_MAXKEYS];
	int cpu;
	u32 i;

	stp_map_clear(agg);
	_stp_for_each_cpu(cpu) {
		struct stp_map *m = &p->cpu[cpu];
		u32 ce, e;

		for (ce = m->head; ce != STP_NIL; ce = m->lnext[ce]) {
			for (i = 0; i < m->d.nkeys; i++) {
				if (m->d.ktype[i] == STP_T_STR)
					k[i].s = stp_map_key_str(m, ce, i);
				else
					k[i].n = stp_map_key_long(m, ce, i);
			}
			e = stp_map_insert(agg, k);	/* new entries start empty */
			if (e == STP_NIL)
				return STP_MAP_EFULL;
			stp_sd_merge(stp_map_val_stat(agg, e), stp_map_val_stat(m, ce),
				     &agg->d.hist, agg->d.shift);
		}
	}
	return STP_MAP_OK;
}

static __maybe_unused bool stp_pmap_exists(struct stp_pmap *p, const union stp_key *k)
{
	int cpu;

	_stp_for_each_cpu(cpu)
		if (stp_map_exists(&p->cpu[cpu], k))
			return true;
	return false;
}

static __maybe_unused void stp_pmap_delete(struct stp_pmap *p, const union stp_key *k)
{
	int cpu;

	_stp_for_each_cpu(cpu)
		stp_map_delete(&p->cpu[cpu], k);
	stp_map_delete(&p->agg, k);
}

static __maybe_unused void stp_pmap_delete_slice(struct stp_pmap *p, const union stp_key *k,
						 u16 wild)
{
	int cpu;

	_stp_for_each_cpu(cpu)
		stp_map_delete_slice(&p->cpu[cpu], k, wild);
	stp_map_delete_slice(&p->agg, k, wild);
}

static __maybe_unused void stp_pmap_clear(struct stp_pmap *p)
{
	int cpu;

	_stp_for_each_cpu(cpu)
		stp_map_clear(&p->cpu[cpu]);
	stp_map_clear(&p->agg);
}
