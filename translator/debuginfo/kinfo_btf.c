// kinfo_btf.c: types and tracepoints from the kernel's BTF (see kinfo_image.c
// for where the BTF comes from).
//
// Type names are printed the way SystemTap prints DWARF types in `stap -L`:
// base types by their DWARF names ("long unsigned int", "_Bool"), qualifiers
// after what they qualify ("char const*"), "struct task_struct*", "char[16]".
//
// Tracepoints: every `typedef void (*btf_trace_<name>)(void *__data, ARGS)`
// (emitted by the kernel for BPF raw tracepoints) gives a name and the argument
// types.  Function-pointer parameters carry no names in BTF, so the names come
// from the prototype of `__traceiter_<name>(void *__data, ARGS)`, the real
// function every tracepoint has; failing that they are "arg1", "arg2"...
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kinfo-int.h"

// ---- type names ----

static const struct btf_type *peel(const struct btf *btf, int32_t *id, int modifiers_only)
{
	const struct btf_type *t = btf__type_by_id(btf, (uint32_t)*id);

	while (t && *id) {
		int k = btf_kind(t);

		if (k == BTF_KIND_CONST || k == BTF_KIND_VOLATILE || k == BTF_KIND_RESTRICT ||
		    k == BTF_KIND_TYPE_TAG || (!modifiers_only && k == BTF_KIND_TYPEDEF)) {
			*id = (int32_t)t->type;
			t = btf__type_by_id(btf, t->type);
			continue;
		}
		break;
	}
	return t;
}

static const char *type_name(struct kinfo *ki, int32_t id, int depth);

// "RET (ARGS)" for a FUNC_PROTO; `inner` goes between RET and the list ("(*)").
static char *proto_name(struct kinfo *ki, const struct btf_type *t, const char *inner,
			int depth)
{
	const struct btf_param *p = btf_params(t);
	int n = btf_vlen(t);
	size_t cap = 256, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	len = (size_t)snprintf(buf, cap, "%s %s(", type_name(ki, (int32_t)t->type, depth + 1),
			       inner);
	for (int i = 0; i < n; i++) {
		const char *a = p[i].type ? type_name(ki, (int32_t)p[i].type, depth + 1) : "...";
		size_t need = len + strlen(a) + 4;
		if (need > cap) {
			char *nb = realloc(buf, need * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap = need * 2;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", a);
	}
	if (len + 2 > cap) {
		char *nb = realloc(buf, len + 2);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
	}
	strcpy(buf + len, ")");
	char *res = kinfo__strdup(&ki->arena, buf);
	free(buf);
	return res;
}

static const char *compute_name(struct kinfo *ki, int32_t id, int depth)
{
	const struct btf *btf = ki->btf;
	const struct btf_type *t = btf__type_by_id(btf, (uint32_t)id);
	const char *nm, *sub;

	if (id == 0)
		return "void";
	if (!t)
		return "?";
	nm = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPEDEF:
		return nm;
	case BTF_KIND_STRUCT:
		return *nm ? kinfo__printf(&ki->arena, "struct %s", nm) : "struct {...}";
	case BTF_KIND_UNION:
		return *nm ? kinfo__printf(&ki->arena, "union %s", nm) : "union {...}";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return *nm ? kinfo__printf(&ki->arena, "enum %s", nm) : "enum {...}";
	case BTF_KIND_FWD:
		return kinfo__printf(&ki->arena, "%s %s", btf_kflag(t) ? "union" : "struct", nm);
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: {
		const char *q = btf_kind(t) == BTF_KIND_CONST ? "const" :
				btf_kind(t) == BTF_KIND_VOLATILE ? "volatile" : "restrict";
		return kinfo__printf(&ki->arena, "%s %s", type_name(ki, (int32_t)t->type, depth + 1), q);
	}
	case BTF_KIND_TYPE_TAG:
		return type_name(ki, (int32_t)t->type, depth + 1);
	case BTF_KIND_PTR: {
		int32_t tid = (int32_t)t->type;
		const struct btf_type *tt = peel(btf, &tid, 1);

		if (tt && tid && btf_is_func_proto(tt))
			return proto_name(ki, tt, "(*)", depth);
		sub = type_name(ki, (int32_t)t->type, depth + 1);
		return kinfo__printf(&ki->arena, "%s*", sub);
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		sub = type_name(ki, (int32_t)a->type, depth + 1);
		// int[2][3]: the outer bound goes before the element's bounds.
		const char *br = strchr(sub, '[');
		int32_t eid = (int32_t)a->type;
		const struct btf_type *et = peel(btf, &eid, 1);
		if (br && et && btf_is_array(et))
			return kinfo__printf(&ki->arena, "%.*s[%u]%s", (int)(br - sub), sub,
					     a->nelems, br);
		return kinfo__printf(&ki->arena, "%s[%u]", sub, a->nelems);
	}
	case BTF_KIND_FUNC_PROTO:
		return proto_name(ki, t, "", depth);
	case BTF_KIND_FUNC:
		return type_name(ki, (int32_t)t->type, depth + 1);
	default:
		return "?";
	}
}

static const char *type_name(struct kinfo *ki, int32_t id, int depth)
{
	uint32_t cnt = btf__type_cnt(ki->btf);

	if (id < 0 || (uint32_t)id >= cnt)
		return "?";
	if (depth > 32)
		return "...";	// only a corrupt BTF loops
	if (!ki->type_names) {
		ki->type_names = calloc(cnt, sizeof(*ki->type_names));
		if (!ki->type_names)
			return compute_name(ki, id, depth);
	}
	if (!ki->type_names[id]) {
		const char *n = compute_name(ki, id, depth);
		ki->type_names[id] = n ? n : "?";
	}
	return ki->type_names[id];
}

const char *kinfo_type_name(struct kinfo *ki, int32_t id)
{
	if (kinfo__load_btf(ki, NULL) != 0)
		return NULL;
	return type_name(ki, id, 0);
}

// ---- lookups ----

int32_t kinfo_type_by_name(struct kinfo *ki, const char *name, struct kinfo_err *err)
{
	static const struct {
		const char *prefix;
		int kind;
	} tagged[] = {
		{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	char base[512];
	int stars = 0;

	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	snprintf(base, sizeof(base), "%s", name);
	for (size_t l = strlen(base); l && (base[l - 1] == '*' || base[l - 1] == ' '); l--) {
		stars += base[l - 1] == '*';
		base[l - 1] = '\0';
	}
	int32_t id = -1;
	for (size_t i = 0; i < 3 && id < 0; i++) {
		size_t pl = strlen(tagged[i].prefix);

		if (strncmp(base, tagged[i].prefix, pl) == 0) {
			id = btf__find_by_name_kind(ki->btf, base + pl, tagged[i].kind);
			if (id < 0 && tagged[i].kind == BTF_KIND_ENUM)
				id = btf__find_by_name_kind(ki->btf, base + pl, BTF_KIND_ENUM64);
			if (id < 0)	// only declared
				id = btf__find_by_name_kind(ki->btf, base + pl, BTF_KIND_FWD);
			if (id < 0)
				goto missing;
		}
	}
	if (id < 0 && strcmp(base, "void") == 0)
		id = 0;
	static const int plain[] = { BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_FLOAT };
	for (size_t i = 0; i < 3 && id < 0; i++)
		id = btf__find_by_name_kind(ki->btf, base, plain[i]);
	if (id < 0)
		goto missing;
	// "T*": a pointer type to T that the BTF already has.
	for (; stars > 0; stars--) {
		uint32_t cnt = btf__type_cnt(ki->btf), p;

		for (p = 1; p < cnt; p++) {
			const struct btf_type *t = btf__type_by_id(ki->btf, p);
			if (btf_is_ptr(t) && t->type == (uint32_t)id)
				break;
		}
		if (p == cnt) {
			kinfo__err(err, "type '%s' is not used in kernel %s's BTF", name,
				   ki->paths.release);
			return -1;
		}
		id = (int32_t)p;
	}
	return id;
missing:
	kinfo__err(err, "no type '%s' in the BTF of kernel %s", base, ki->paths.release);
	return -1;
}

static enum kinfo_kind kind_of(const struct btf_type *t, int32_t id)
{
	if (id == 0)
		return KINFO_K_VOID;
	switch (btf_kind(t)) {
	case BTF_KIND_INT: return KINFO_K_INT;
	case BTF_KIND_FLOAT: return KINFO_K_FLOAT;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return KINFO_K_ENUM;
	case BTF_KIND_PTR: return KINFO_K_POINTER;
	case BTF_KIND_ARRAY: return KINFO_K_ARRAY;
	case BTF_KIND_STRUCT: return KINFO_K_STRUCT;
	case BTF_KIND_UNION: return KINFO_K_UNION;
	case BTF_KIND_FUNC_PROTO: return KINFO_K_FUNC_PROTO;
	default: return KINFO_K_UNKNOWN;
	}
}

int kinfo_type_info(struct kinfo *ki, int32_t id, struct kinfo_type *out,
		    struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	if (id < 0 || (uint32_t)id >= btf__type_cnt(ki->btf)) {
		kinfo__err(err, "no BTF type #%d", id);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->name = type_name(ki, id, 0);
	int32_t pid = id;
	const struct btf_type *t = peel(ki->btf, &pid, 0);
	out->id = pid;
	out->kind = t ? kind_of(t, pid) : KINFO_K_UNKNOWN;
	switch (out->kind) {
	case KINFO_K_INT:
		out->is_signed = (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
		out->size = t->size;
		break;
	case KINFO_K_ENUM:
		out->is_signed = btf_kflag(t);
		out->size = t->size;
		break;
	case KINFO_K_POINTER:
		out->target = (int32_t)t->type;
		out->size = (uint32_t)btf__resolve_size(ki->btf, (uint32_t)pid);
		break;
	case KINFO_K_ARRAY:
		out->target = (int32_t)btf_array(t)->type;
		out->nelems = btf_array(t)->nelems;
		out->size = (uint32_t)btf__resolve_size(ki->btf, (uint32_t)pid);
		break;
	case KINFO_K_STRUCT:
	case KINFO_K_UNION:
	case KINFO_K_FLOAT:
		out->size = t->size;
		break;
	default:
		break;
	}
	return 0;
}

// Finds `name` among the members of struct/union `sid`, descending into
// anonymous members; *bits accumulates the bit offset.
static const struct btf_member *find_member(const struct btf *btf, uint32_t sid,
					    const char *name, uint32_t *bits, uint32_t *bsize,
					    int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, sid);
	const struct btf_member *m = btf_members(t);
	int n = btf_vlen(t);

	if (depth > 32)
		return NULL;
	for (int i = 0; i < n; i++, m++) {
		uint32_t off = btf_member_bit_offset(t, (uint32_t)i);

		if (m->name_off) {
			if (strcmp(btf__name_by_offset(btf, m->name_off), name) == 0) {
				*bits += off;
				*bsize = btf_member_bitfield_size(t, (uint32_t)i);
				return m;
			}
			continue;
		}
		int32_t id = (int32_t)m->type;
		const struct btf_type *mt = peel(btf, &id, 0);
		if (!mt || !(btf_is_struct(mt) || btf_is_union(mt)))
			continue;
		uint32_t sub = *bits + off;
		const struct btf_member *hit = find_member(btf, (uint32_t)id, name, &sub, bsize,
							   depth + 1);
		if (hit) {
			*bits = sub;
			return hit;
		}
	}
	return NULL;
}

int kinfo_struct_member(struct kinfo *ki, int32_t container, const char *member,
			struct kinfo_member *out, struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	memset(out, 0, sizeof(*out));
	if (container <= 0 || (uint32_t)container >= btf__type_cnt(ki->btf)) {
		kinfo__err(err, "no BTF type #%d", container);
		return -1;
	}
	int32_t id = container;
	const struct btf_type *t = peel(ki->btf, &id, 0);
	if (t && id && btf_is_ptr(t)) {
		out->deref = 1;
		id = (int32_t)t->type;
		t = peel(ki->btf, &id, 0);
	}
	if (!t || !id || !(btf_is_struct(t) || btf_is_union(t))) {
		kinfo__err(err, "'%s' is not a struct or union (looking for member '%s')",
			   type_name(ki, container, 0), member);
		return -1;
	}
	uint32_t bits = 0, bsize = 0;
	const struct btf_member *m = find_member(ki->btf, (uint32_t)id, member, &bits, &bsize, 0);
	if (!m) {
		kinfo__err(err, "%s has no member '%s'", type_name(ki, id, 0), member);
		return -1;
	}
	out->type_id = (int32_t)m->type;
	out->type_name = type_name(ki, (int32_t)m->type, 0);
	out->offset = bits / 8;
	if (bsize) {
		out->bit_offset = bits % 8;
		out->bit_size = bsize;
	}
	long long sz = btf__resolve_size(ki->btf, m->type);
	out->size = sz > 0 ? (uint32_t)sz : 0;
	return 0;
}

long kinfo_struct_members(struct kinfo *ki, int32_t id, kinfo_member_fn cb, void *arg,
			  struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	if (id <= 0 || (uint32_t)id >= btf__type_cnt(ki->btf)) {
		kinfo__err(err, "no BTF type #%d", id);
		return -1;
	}
	const struct btf_type *t = peel(ki->btf, &id, 0);
	if (!t || !(btf_is_struct(t) || btf_is_union(t))) {
		kinfo__err(err, "'%s' is not a struct or union", type_name(ki, id, 0));
		return -1;
	}
	const struct btf_member *m = btf_members(t);
	int n = btf_vlen(t);
	long visited = 0;
	for (int i = 0; i < n; i++, m++) {
		struct kinfo_member km;
		uint32_t bits = btf_member_bit_offset(t, (uint32_t)i);
		uint32_t bsize = btf_member_bitfield_size(t, (uint32_t)i);

		memset(&km, 0, sizeof(km));
		km.type_id = (int32_t)m->type;
		km.type_name = type_name(ki, (int32_t)m->type, 0);
		km.offset = bits / 8;
		if (bsize) {
			km.bit_offset = bits % 8;
			km.bit_size = bsize;
		}
		long long sz = btf__resolve_size(ki->btf, m->type);
		km.size = sz > 0 ? (uint32_t)sz : 0;
		visited++;
		if (cb(m->name_off ? btf__name_by_offset(ki->btf, m->name_off) : "", &km, arg))
			break;
	}
	return visited;
}

// ---- tracepoints ----

static int tp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kinfo_tracepoint *)a)->name,
		      ((const struct kinfo_tracepoint *)b)->name);
}

static int tpsys_name_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct kinfo_tpsys *)elt)->name);
}

static int named_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kinfo_named_id *)a)->name,
		      ((const struct kinfo_named_id *)b)->name);
}

// The BTF FUNCs whose names start with `prefix`, sorted by name (malloc'd).
// One pass: btf__find_by_name_kind() would scan all ~150k types per call.
static struct kinfo_named_id *func_list(const struct btf *btf, const char *prefix, size_t *n)
{
	uint32_t cnt = btf__type_cnt(btf);
	size_t pl = strlen(prefix);
	struct kinfo_named_id *v = malloc(cnt * sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (uint32_t id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *nm;

		if (btf_is_func(t) &&
		    strncmp(nm = btf__name_by_offset(btf, t->name_off), prefix, pl) == 0) {
			v[*n].name = nm;
			v[*n].id = id;
			(*n)++;
		}
	}
	qsort(v, *n, sizeof(*v), named_id_cmp);
	return v;
}

// The FUNC_PROTO of function `name` in the sorted list v, or NULL.
static const struct btf_type *func_proto(const struct btf *btf, const struct kinfo_named_id *v,
					 size_t n, const char *name)
{
	struct kinfo_named_id key = { .name = name };
	const struct kinfo_named_id *hit = v ? bsearch(&key, v, n, sizeof(key), named_id_cmp)
					     : NULL;
	if (!hit)
		return NULL;
	const struct btf_type *f = btf__type_by_id(btf, hit->id);
	const struct btf_type *proto = btf__type_by_id(btf, f->type);
	return proto && btf_is_func_proto(proto) ? proto : NULL;
}

int kinfo_function_proto(struct kinfo *ki, const char *name, struct kinfo_func *out,
			 struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	if (!ki->funcs)
		ki->funcs = func_list(ki->btf, "", &ki->n_funcs);
	const struct btf_type *proto = func_proto(ki->btf, ki->funcs, ki->n_funcs, name);
	if (!proto) {
		kinfo__err(err, "function '%s' has no prototype in the BTF of kernel %s", name,
			   ki->paths.release);
		return -1;
	}
	const struct btf_param *p = btf_params(proto);
	int n = btf_vlen(proto);
	if (n > 0 && p[n - 1].type == 0)
		n--;	// "..."
	struct kinfo_arg *args = kinfo__alloc(&ki->arena, (size_t)(n + 1) * sizeof(*args));
	if (!args) {
		kinfo__err(err, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		args[i].type_id = (int32_t)p[i].type;
		args[i].type = type_name(ki, (int32_t)p[i].type, 0);
		args[i].name = p[i].name_off ? btf__name_by_offset(ki->btf, p[i].name_off)
					     : kinfo__printf(&ki->arena, "arg%d", i + 1);
	}
	out->name = kinfo__strdup(&ki->arena, name);
	out->ret_type_id = (int32_t)proto->type;
	out->ret_type = type_name(ki, (int32_t)proto->type, 0);
	out->nargs = n;
	out->args = args;
	return 0;
}

long kinfo_match_btf_functions(struct kinfo *ki, const char *glob, kinfo_name_fn cb, void *arg,
			       struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return -1;
	if (!ki->funcs)
		ki->funcs = func_list(ki->btf, "", &ki->n_funcs);
	long n = 0;
	for (size_t i = 0; i < ki->n_funcs; i++) {
		const char *name = ki->funcs[i].name;
		// static functions of the same name in several files: once
		if (i && !strcmp(name, ki->funcs[i - 1].name))
			continue;
		if (!kinfo_glob_match(glob, name))
			continue;
		n++;
		if (cb(name, arg))
			break;
	}
	return n;
}

// Parameter names of __traceiter_<name> (skipping __data), if it is in BTF and
// has as many parameters as the typedef.
static const struct btf_param *traceiter_params(const struct btf *btf,
						const struct kinfo_named_id *iters, size_t niters,
						const char *name, int nargs)
{
	char fn[512];

	kinfo__fmt(fn, sizeof(fn), "__traceiter_%s", name);
	const struct btf_type *proto = func_proto(btf, iters, niters, fn);
	if (!proto || btf_vlen(proto) != nargs + 1)
		return NULL;
	return btf_params(proto) + 1;
}

static int load_tracepoints(struct kinfo *ki, struct kinfo_err *err)
{
	if (ki->tps_loaded) {
		if (!ki->tps)
			kinfo__copy_err(err, ki->tps_err);
		return ki->tps ? 0 : -1;
	}
	ki->tps_loaded = 1;
	struct kinfo_err e;
	if (kinfo__load_btf(ki, &e) != 0) {
		kinfo__fmt(ki->tps_err, sizeof(ki->tps_err), "cannot list tracepoints: %s", e.msg);
		kinfo__copy_err(err, ki->tps_err);
		return -1;
	}
	const struct btf *btf = ki->btf;
	uint32_t cnt = btf__type_cnt(btf);
	size_t n = 0, cap = 1024;
	struct kinfo_tracepoint *v = malloc(cap * sizeof(*v));
	struct kinfo_tpsys *sys = NULL;
	size_t nsys = 0, niters = 0;
	struct kinfo_named_id *iters = func_list(btf, "__traceiter_", &niters);

	if (!v)
		goto nomem;
	for (uint32_t id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *nm;

		if (!btf_is_typedef(t))
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		if (strncmp(nm, "btf_trace_", 10) != 0)
			continue;
		const struct btf_type *ptr = btf__type_by_id(btf, t->type);
		const struct btf_type *proto = ptr && btf_is_ptr(ptr) ?
					       btf__type_by_id(btf, ptr->type) : NULL;
		if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 1)
			continue;
		if (n == cap) {
			struct kinfo_tracepoint *nv = realloc(v, 2 * cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
			cap *= 2;
		}
		struct kinfo_tracepoint *tp = &v[n++];
		memset(tp, 0, sizeof(*tp));
		tp->name = nm + 10;
		tp->nargs = btf_vlen(proto) - 1;
		struct kinfo_arg *args = kinfo__alloc(&ki->arena,
							 (size_t)(tp->nargs + 1) * sizeof(*args));
		if (!args)
			goto nomem;
		const struct btf_param *p = btf_params(proto) + 1;
		const struct btf_param *named = NULL;
		int has_names = 0;
		for (int i = 0; i < tp->nargs; i++)
			has_names |= p[i].name_off != 0;
		if (!has_names)
			named = traceiter_params(btf, iters, niters, tp->name, tp->nargs);
		for (int i = 0; i < tp->nargs; i++) {
			uint32_t no = has_names ? p[i].name_off : named ? named[i].name_off : 0;

			args[i].type_id = (int32_t)p[i].type;
			args[i].type = type_name(ki, (int32_t)p[i].type, 0);
			args[i].name = no ? btf__name_by_offset(btf, no)
					  : kinfo__printf(&ki->arena, "arg%d", i + 1);
		}
		tp->args = args;
	}
	qsort(v, n, sizeof(*v), tp_cmp);
	if (kinfo__scan_trace_headers(ki, &sys, &nsys) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct kinfo_tpsys *s = bsearch(v[i].name, sys, nsys, sizeof(*sys),
							tpsys_name_cmp);
			if (s) {
				v[i].system = s->system;
				v[i].header = s->header;
			}
		}
	}
	// Keep the array in the arena so that pointers into it stay valid.
	ki->tps = kinfo__alloc(&ki->arena, (n ? n : 1) * sizeof(*v));
	if (!ki->tps)
		goto nomem;
	memcpy(ki->tps, v, n * sizeof(*v));
	ki->n_tps = n;
	free(v);
	free(iters);
	return 0;
nomem:
	free(v);
	free(iters);
	kinfo__fmt(ki->tps_err, sizeof(ki->tps_err), "out of memory listing tracepoints");
	kinfo__copy_err(err, ki->tps_err);
	return -1;
}

const struct kinfo_tracepoint *kinfo_tracepoints(struct kinfo *ki, size_t *n,
						 struct kinfo_err *err)
{
	if (load_tracepoints(ki, err) != 0) {
		*n = 0;
		return NULL;
	}
	*n = ki->n_tps;
	return ki->tps;
}

const struct kinfo_tracepoint *kinfo_tracepoint(struct kinfo *ki, const char *name,
						struct kinfo_err *err)
{
	struct kinfo_tracepoint key = { .name = name };

	if (load_tracepoints(ki, err) != 0)
		return NULL;
	const struct kinfo_tracepoint *tp = bsearch(&key, ki->tps, ki->n_tps, sizeof(key), tp_cmp);
	if (!tp)
		kinfo__err(err, "no tracepoint '%s' in kernel %s", name, ki->paths.release);
	return tp;
}

long kinfo_match_tracepoints(struct kinfo *ki, const char *system_glob,
			     const char *name_glob, kinfo_tp_fn cb, void *arg,
			     struct kinfo_err *err)
{
	long count = 0;

	if (load_tracepoints(ki, err) != 0)
		return -1;
	for (size_t i = 0; i < ki->n_tps; i++) {
		const struct kinfo_tracepoint *tp = &ki->tps[i];

		if (system_glob && (!tp->system || !kinfo_glob_match(system_glob, tp->system)))
			continue;
		if (!kinfo_glob_match(name_glob, tp->name))
			continue;
		count++;
		if (cb && cb(tp, arg))
			break;
	}
	return count;
}
