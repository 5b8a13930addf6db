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
//
// Under AddressSanitizer every allocation is followed by a poisoned red
// zone and the unused rest of a chunk stays poisoned, so overruns of nodes,
// tokens and interned strings are caught like heap overruns.
#define CHUNK (8 << 20)
#define HUGE_PAGE (2 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define REDZONE 8
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define REDZONE 0
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

// Chunks and big blocks are listed, newest first, only so that
// arena_release() can give back what came after arena_mark().
typedef struct Chunk {
	struct Chunk *prev;
	void *map;         // what mmap returned
	char *start;       // the aligned usable part
	char *left_at;     // how far it was used when a newer chunk took over
} Chunk;
typedef struct Big {
	struct Big *prev;
	max_align_t data[]; // the allocation
} Big;
static Chunk *chunks;
static Big *bigs;
static char *arena_cur, *arena_end;

static void chunk_alloc(void)
{
	size_t len = CHUNK + HUGE_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	Chunk *c = malloc(sizeof(*c));
	if (p == MAP_FAILED || !c)
		fatal("out of memory");
	char *aligned = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	madvise(aligned, CHUNK, MADV_HUGEPAGE);
	POISON(aligned, CHUNK);
	if (chunks)
		chunks->left_at = arena_cur;
	*c = (Chunk){.prev = chunks, .map = p, .start = aligned};
	chunks = c;
	arena_cur = aligned;
	arena_end = aligned + CHUNK;
}

void *arena_alloc(size_t size)
{
	size_t need = ((size + 7) & ~(size_t)7) + REDZONE;
	if (need > CHUNK / 4) {
		Big *b = calloc(1, sizeof(Big) + size);
		if (!b)
			fatal("out of memory");
		b->prev = bigs;
		bigs = b;
		return b->data;
	}
	if ((size_t)(arena_end - arena_cur) < need)
		chunk_alloc();
	void *p = arena_cur;
	arena_cur += need;
	UNPOISON(p, size);
	return p;
}

//
// arena_mark / arena_release: for programs that parse many unrelated
// inputs in one process (the fuzz target).  arena_release() frees every
// allocation made since arena_mark() and forgets the strings interned
// since, so memory stays flat.  Everything made before the mark stays
// valid; pointers to anything made after it must not be kept.  Strings
// that code caches in statics (tok_is) must be interned before the mark.
//

static struct {
	bool set;
	Chunk *chunk;
	char *cur, *end;
	Big *bigs;
	const char **itab; // copy of the intern table
	size_t icap, icount;
} mark;

static const char **itab;
static size_t icap, icount;

void arena_mark(void)
{
	free(mark.itab);
	mark.set = true;
	mark.chunk = chunks;
	mark.cur = arena_cur;
	mark.end = arena_end;
	mark.bigs = bigs;
	mark.icap = icap;
	mark.icount = icount;
	mark.itab = malloc(icap * sizeof(*itab) + 1);
	if (!mark.itab)
		fatal("out of memory");
	if (icap)
		memcpy(mark.itab, itab, icap * sizeof(*itab));
}

void arena_release(void)
{
	if (!mark.set)
		return;
	while (bigs != mark.bigs) {
		Big *b = bigs;
		bigs = b->prev;
		free(b);
	}
	while (chunks != mark.chunk) {
		Chunk *c = chunks;
		chunks = c->prev;
		UNPOISON(c->start, CHUNK);
		munmap(c->map, CHUNK + HUGE_PAGE);
		free(c);
	}
	if (chunks) {
		// the marked chunk is reused: zero what was handed out since
		char *used = arena_end == mark.end ? arena_cur : chunks->left_at;
		if (mark.cur && used > mark.cur) {
			UNPOISON(mark.cur, used - mark.cur);
			memset(mark.cur, 0, used - mark.cur);
			POISON(mark.cur, used - mark.cur);
		}
		chunks->left_at = NULL;
	}
	arena_cur = mark.cur;
	arena_end = mark.end;
	if (icap != mark.icap) {
		free(itab);
		itab = malloc(mark.icap * sizeof(*itab) + 1);
		if (!itab)
			fatal("out of memory");
		icap = mark.icap;
	}
	if (icap)
		memcpy(itab, mark.itab, icap * sizeof(*itab));
	icount = mark.icount;
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

// Open-addressing hash set of strings (itab, above); grows at 50% load.

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

int closest_visit(const char *name, void *arg)
{
	Closest *c = arg;
	int d = edit_distance(c->want, name);
	for (int i = 0; i < 5; i++) {
		if (!c->best[i] || d < c->dist[i]) {
			for (int k = 4; k > i; k--) {
				c->best[k] = c->best[k - 1];
				c->dist[k] = c->dist[k - 1];
			}
			c->best[i] = name;
			c->dist[i] = d;
			break;
		}
	}
	return 0;
}

const char *closest_list(const Closest *c)
{
	Buf b = {0};
	for (int i = 0; i < 5 && c->best[i]; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", c->best[i]);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
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
