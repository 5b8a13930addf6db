/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map.h - associative arrays: up to 9 keys (long or string), values long,
 * string or statistics.  Everything is allocated by stp_map_init() at
 * module load; no operation allocates afterwards.
 *
 * Entries live in a fixed table of maxent slots.  A hash table (chains of
 * slot indices) finds them; a doubly linked list keeps their order.  That
 * order is what SystemTap 4.8 shows: insertion order (a re-inserted key goes
 * to the end), and a sorted foreach re-orders the list in place, so a later
 * unsorted foreach sees the last sort (runtime/DATA.md).
 *
 * Statistics arrays are struct stp_pmap: one map per cpu (<<< touches only
 * this cpu's) plus an aggregate map rebuilt on read.
 *
 * Keys are passed as an array of union stp_key, one per key, in order.
 */
#ifndef _STP_MAP_H_
#define _STP_MAP_H_

#include "userspace-shim.h"
#include "stat.h"

#define STP_MAP_MAXKEYS		9
#define STP_NIL			0xffffffffu	/* "no entry" */
#define STP_MAP_SORTN_MAX	30	/* limit <= this: partial sort */

enum stp_type { STP_T_NONE, STP_T_LONG, STP_T_STR, STP_T_STAT };

/* return codes */
#define STP_MAP_OK		0
#define STP_MAP_EFULL		(-1)	/* "Array overflow, check MAXMAPENTRIES" */
#define STP_MSG_MAP_FULL	"Array overflow, check MAXMAPENTRIES"

union stp_key {
	s64 n;			/* STP_T_LONG */
	const char *s;		/* STP_T_STR */
};

/* the shape of a map, from the translator */
struct stp_map_desc {
	u8 nkeys;				/* 1..9 */
	u8 ktype[STP_MAP_MAXKEYS];		/* STP_T_LONG / STP_T_STR */
	u8 vtype;				/* STP_T_LONG / STP_T_STR / STP_T_STAT */
	u8 wrap;				/* global a% : reuse the oldest */
	u32 maxent;				/* 0: MAXMAPENTRIES */
	u32 kstrlen;				/* bytes per string key, 0: MAXSTRINGLEN */
	u32 vstrlen;				/* bytes per string value, 0: MAXSTRINGLEN */
	struct stp_hist hist;			/* STP_T_STAT: histogram, if any */
	u8 stat_ops;				/* STP_T_STAT: STP_STAT_* */
	u8 shift;				/* STP_T_STAT: @variance(a[k], shift) */
};

struct stp_map {
	struct stp_map_desc d;
	u16 koff[STP_MAP_MAXKEYS];	/* key offsets in an entry */
	u32 voff;			/* value offset in an entry */
	u32 esize;			/* bytes per entry */
	u32 num;			/* live entries */
	u32 head, tail;			/* order list */
	u32 freelist;			/* unused slots, chained through lnext */
	u32 hmask;			/* hash buckets - 1 */
	u32 hshift;			/* 64 - log2(hash buckets) */
	u32 *buckets;			/* hash chain heads */
	u32 *hnext;			/* hash chain links */
	u32 *lprev, *lnext;		/* order list links */
	u32 *sortbuf;			/* 2 * maxent, for the merge sort */
	char *data;			/* maxent entries */
	void *mem;			/* the one allocation */
};

/* sort specification for foreach */
struct stp_map_sort {
	u8 key;		/* 0: by value, 1..9: by that key */
	s8 dir;		/* +1 ascending, -1 descending */
	u8 op;		/* stat values: enum stp_stat_op (COUNT for a plain value sort) */
};

/* foreach iterator state (the caller's, e.g. in the probe's frame) */
struct stp_map_iter {
	u32 e;			/* current entry */
	u32 next;		/* the one after it (deleting e is safe) */
	s64 left;		/* limit countdown, -1: none */
	const union stp_key *slice;	/* fixed keys of a slice, or NULL */
	u16 wild;		/* slice: bit i set = key i+1 is '*' */
};

static int stp_map_init(struct stp_map *m, const struct stp_map_desc *d);
static void stp_map_free(struct stp_map *m);

/* lookups: entry index or STP_NIL */
static u32 stp_map_find(const struct stp_map *m, const union stp_key *k);
static bool stp_map_exists(const struct stp_map *m, const union stp_key *k);
/* find or create (a new entry has 0 / "" / no data); STP_NIL when full */
static u32 stp_map_insert(struct stp_map *m, const union stp_key *k);

/* values */
static s64 stp_map_get_long(const struct stp_map *m, const union stp_key *k);	/* 0 if none */
static const char *stp_map_get_str(const struct stp_map *m, const union stp_key *k); /* "" */
static int stp_map_set_long(struct stp_map *m, const union stp_key *k, s64 v);
static int stp_map_add_long(struct stp_map *m, const union stp_key *k, s64 v,
			    s64 *sum);	/* +=, *sum: the new value */
static int stp_map_set_str(struct stp_map *m, const union stp_key *k, const char *s);
static int stp_map_add_stat(struct stp_map *m, const union stp_key *k, s64 v);	/* <<< */

/* entry accessors */
static s64 stp_map_key_long(const struct stp_map *m, u32 e, int i);	/* i: 0-based */
static const char *stp_map_key_str(const struct stp_map *m, u32 e, int i);
static s64 *stp_map_val_long(const struct stp_map *m, u32 e);
static char *stp_map_val_str(const struct stp_map *m, u32 e);
static struct stp_stat_data *stp_map_val_stat(const struct stp_map *m, u32 e);

/* delete */
static void stp_map_del_entry(struct stp_map *m, u32 e);
static void stp_map_delete(struct stp_map *m, const union stp_key *k);
static void stp_map_clear(struct stp_map *m);
static u32 stp_map_size(const struct stp_map *m);

/* slices: does entry e match the fixed keys (wild: bit i = key i is '*')? */
static bool stp_map_match(const struct stp_map *m, u32 e, const union stp_key *k, u16 wild);
static bool stp_map_exists_slice(const struct stp_map *m, const union stp_key *k, u16 wild);
static void stp_map_delete_slice(struct stp_map *m, const union stp_key *k, u16 wild);

/* foreach: sort (when sorted; limit 0 = none), then iterate */
static void stp_map_sort(struct stp_map *m, const struct stp_map_sort *s, u32 limit);
static void stp_map_iter_start(const struct stp_map *m, struct stp_map_iter *it, s64 limit,
			       const union stp_key *slice, u16 wild);
static bool stp_map_iter_next(const struct stp_map *m, struct stp_map_iter *it);

/* ---------------------------------------------------------------- pmaps */

struct stp_pmap {
	struct stp_map *cpu;	/* _stp_nr_cpus() maps */
	struct stp_map agg;	/* rebuilt by stp_pmap_agg() */
};

static int stp_pmap_init(struct stp_pmap *p, const struct stp_map_desc *d);
static void stp_pmap_free(struct stp_pmap *p);
static int stp_pmap_add(struct stp_pmap *p, const union stp_key *k, s64 v);	/* <<< */
/* aggregate one key: its data, or NULL when no cpu has it */
static struct stp_stat_data *stp_pmap_get(struct stp_pmap *p, const union stp_key *k);
/* aggregate everything into p->agg (for foreach / slices); EFULL if it overflows */
static int stp_pmap_agg(struct stp_pmap *p);
static bool stp_pmap_exists(struct stp_pmap *p, const union stp_key *k);
static void stp_pmap_delete(struct stp_pmap *p, const union stp_key *k);
static void stp_pmap_delete_slice(struct stp_pmap *p, const union stp_key *k, u16 wild);
static void stp_pmap_clear(struct stp_pmap *p);

#include "map.c"

#endif /* _STP_MAP_H_ */
