// util.c: arena allocation, string interning, vectors, buffers and a few
// small algorithms every pass uses.
#include "stap.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// The arena hands out zeroed memory from big chunks; nothing is freed
// before exit, so passes can keep pointers into each other's data.  Chunks
// are 2 MB-aligned and ask for transparent huge pages: parsing the whole
// tapset library touches ~100 MB, and small-page faults alone would cost
// more than the parsing.
#define CHUNK (8 << 20)
#define HUGE_PAGE (2 << 20)
static char *arena_cur, *arena_end;

static void *chunk_alloc(void)
{
	size_t len = CHUNK + HUGE_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("out of memory");
	char *aligned = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	madvise(aligned, CHUNK, MADV_HUGEPAGE);
	return aligned;
}

void *arena_alloc(size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (size > CHUNK / 4) {
		void *p = calloc(1, size);
		if (!p)
			fatal("out of memory");
		return p;
	}
	if ((size_t)(arena_end - arena_cur) < size) {
		arena_cur = chunk_alloc();
		arena_end = arena_cur + CHUNK;
	}
	void *p = arena_cur;
	arena_cur += size;
	return p;
}

char *arena_strndup(const char *s, size_t n)
{
	char *p = arena_alloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(const char *s)
{
	return arena_strndup(s, strlen(s));
}

char *arena_printf(const char *fmt, ...)
{
	Buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(b.s, b.len);
	free(b.s);
	return p;
}

// Open-addressing hash set of strings; grows at 50% load.
static const char **itab;
static size_t icap, icount;

// Eight bytes at a time with a multiply-xorshift mix: names are short and
// this runs once per token.
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h;
}

// Interned strings carry their length in the 8 bytes before them, so
// strings with NULs (rare, from \000 escapes decoded) still intern right.
static size_t ilen(const char *p)
{
	size_t n;
	memcpy(&n, p - sizeof(size_t), sizeof(size_t));
	return n;
}

static void intern_grow(void)
{
	size_t ncap = icap ? icap * 2 : 4096;
	const char **n = calloc(ncap, sizeof(*n));
	if (!n)
		fatal("out of memory");
	for (size_t i = 0; i < icap; i++) {
		if (!itab[i])
			continue;
		size_t h = hash_bytes(itab[i], ilen(itab[i])) & (ncap - 1);
		while (n[h])
			h = (h + 1) & (ncap - 1);
		n[h] = itab[i];
	}
	free(itab);
	itab = n;
	icap = ncap;
}

const char *intern(const char *s, size_t len)
{
	if (icount * 2 >= icap)
		intern_grow();
	size_t h = hash_bytes(s, len) & (icap - 1);
	while (itab[h]) {
		if (ilen(itab[h]) == len && memcmp(itab[h], s, len) == 0)
			return itab[h];
		h = (h + 1) & (icap - 1);
	}
	char *p = (char *)arena_alloc(sizeof(size_t) + len + 1) + sizeof(size_t);
	memcpy(p - sizeof(size_t), &len, sizeof(size_t));
	memcpy(p, s, len);
	p[len] = 0;
	itab[h] = p;
	icount++;
	return p;
}

const char *intern0(const char *s)
{
	return intern(s, strlen(s));
}

void vec_push(Vec *v, void *item)
{
	if (v->len == v->cap) {
		int ncap = v->cap ? v->cap * 2 : 4;
		void **n = arena_alloc(sizeof(void *) * ncap);
		if (v->len)
			memcpy(n, v->items, sizeof(void *) * v->len);
		v->items = n;
		v->cap = ncap;
	}
	v->items[v->len++] = item;
}

static void buf_grow(Buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t ncap = b->cap ? b->cap * 2 : 64;
	while (ncap < b->len + extra + 1)
		ncap *= 2;
	b->s = realloc(b->s, ncap);
	if (!b->s)
		fatal("out of memory");
	b->cap = ncap;
}

void buf_putn(Buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void buf_putc(Buf *b, char c)
{
	buf_putn(b, &c, 1);
}

void buf_puts(Buf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, n);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	b->len += n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(Buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

char *read_file(const char *path, size_t *lenp)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!fp)
		return NULL;
	Buf b = {0};
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_putn(&b, tmp, n);
	int err = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(b.s);
		errno = EIO;
		return NULL;
	}
	if (!b.s)
		buf_putn(&b, "", 0);
	if (lenp)
		*lenp = b.len;
	return b.s;
}

bool glob_match(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 200 || lb > 200)
		return 1000;
	int row[201];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

int version_compare(const char *a, const char *b)
{
	// glibc's strverscmp: digit runs compare numerically (with its rules
	// for leading zeros); everything else bytewise.
	extern int strverscmp(const char *, const char *);
	return strverscmp(a, b);
}

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t h = (uintptr_t)p * 0x9e3779b97f4a7c15ull;
	return (h >> 17) & (cap - 1);
}

void *ptrmap_get(const PtrMap *m, const void *key)
{
	if (!m->cap)
		return NULL;
	for (size_t h = ptr_hash(key, m->cap); m->keys[h]; h = (h + 1) & (m->cap - 1))
		if (m->keys[h] == key)
			return m->vals[h];
	return NULL;
}

void ptrmap_put(PtrMap *m, const void *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap) {
		PtrMap n = {.cap = m->cap ? m->cap * 2 : 64};
		n.keys = calloc(n.cap, sizeof(*n.keys));
		n.vals = calloc(n.cap, sizeof(*n.vals));
		if (!n.keys || !n.vals)
			fatal("out of memory");
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				ptrmap_put(&n, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = n;
	}
	size_t h = ptr_hash(key, m->cap);
	while (m->keys[h] && m->keys[h] != key)
		h = (h + 1) & (m->cap - 1);
	if (!m->keys[h])
		m->len++;
	m->keys[h] = key;
	m->vals[h] = val;
}
