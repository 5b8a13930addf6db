// procfs.c: procfs[("name")][.umask(N)].read[.maxsize(N)] and .write:
// files under /proc/systemtap/MODULE/.
#include "stap.h"
#include "../translate.h"

#include <stdlib.h>
#include <string.h>

static const char *const procfs_patterns[] = {
	"procfs.read", "procfs.read.maxsize(number)",
	"procfs.umask(number).read", "procfs.umask(number).read.maxsize(number)",
	"procfs.umask(number).write", "procfs.write",
	"procfs(string).read", "procfs(string).read.maxsize(number)",
	"procfs(string).umask(number).read", "procfs(string).umask(number).read.maxsize(number)",
	"procfs(string).umask(number).write", "procfs(string).write",
	NULL,
};

// SystemTap's rules for the file name: relative, without empty, "." or
// ".." components (NULL when it is fine).
static const char *procfs_path_problem(const char *path)
{
	size_t n = strlen(path);
	if (!n)
		return "procfs path cannot be empty";
	if (path[0] == '/')
		return "procfs path cannot start with a '/'";
	if (path[n - 1] == '/')
		return "procfs path cannot end with a '/'";
	for (const char *c = path; *c;) {
		size_t len = strcspn(c, "/");
		if (!len)
			return "procfs path component cannot be empty";
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return "procfs path cannot be relative (and contain '.' or '..')";
		c += len;
		if (*c)
			c++;
	}
	return NULL;
}

// sarg[0] file name ("command" when not given); flags 0 read, 1 write;
// arg[0] maxsize (0: default), arg[1] umask (-1: none).
static bool procfs_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	Node *name = point_arg(p->point, 0);
	Buf b = {0};
	if (name)
		string_decode(name->str, name->len, &b);
	const char *path = name ? arena_strdup(b.s ? b.s : "") : "command";
	free(b.s);
	if (name) {
		const char *why = procfs_path_problem(path);
		if (why)
			return probe_error(p, name->tok, "%s", why);
	}
	p->sarg[0] = path;
	p->arg[0] = 0;
	p->arg[1] = -1;
	for (int i = 0; i < p->point->components.len; i++) {
		Node *c = VEC_AT(&p->point->components, i);
		if (!strcmp(c->name, "write"))
			p->flags = 1;
		else if (!strcmp(c->name, "maxsize")) {
			if (c->arg->num <= 0) {
				return probe_error(p, c->arg->tok, "maxsize must be greater than 0");
			}
			p->arg[0] = c->arg->num;
		} else if (!strcmp(c->name, "umask")) {
			if (c->arg->num < 0 || c->arg->num > 0777) {
				return probe_error(p, c->arg->tok, "umask must be between 0 and 0777");
			}
			p->arg[1] = c->arg->num;
		}
	}
	vec_push(out, p);
	return true;
}

// One entry per file: its read and write probes merged (every write
// probe runs, as in SystemTap).
static const char *procfs_emit(Session *s, Buf *b, Vec *probes)
{
	buf_puts(b, "static struct stp_procfs_probe stp_procfs[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		bool seen = false;
		for (int k = 0; k < i && !seen; k++)
			seen = !strcmp(((Probe *)VEC_AT(probes, k))->sarg[0], p->sarg[0]);
		if (seen)
			continue;
		Probe *rd = NULL, *wr = NULL;
		Vec more = {0}; // the file's other write probes
		int64_t maxsize = 0, umask = -1;
		for (int k = i; k < probes->len; k++) {
			Probe *q = VEC_AT(probes, k);
			if (strcmp(q->sarg[0], p->sarg[0]))
				continue;
			if (q->flags && wr)
				vec_push(&more, q);
			else if (q->flags)
				wr = q;
			else
				rd = rd ? rd : q;
			if (q->arg[0])
				maxsize = q->arg[0];
			if (q->arg[1] >= 0)
				umask = q->arg[1];
		}
		buf_printf(b, "\t{ .name = \"%s\"", p->sarg[0]);
		if (rd)
			buf_printf(b, ", .read = &stp_probes[%d]", rd->index);
		if (wr)
			buf_printf(b, ", .write = &stp_probes[%d]", wr->index);
		if (more.len) {
			buf_puts(b, ",\n\t  .more_writes = (const struct stp_probe *const []){ ");
			for (int k = 0; k < more.len; k++)
				buf_printf(b, "&stp_probes[%d], ", ((Probe *)VEC_AT(&more, k))->index);
			buf_puts(b, "NULL }");
		}
		buf_printf(b, ", .maxsize = %lld, .umask = %lld },\n", (long long)maxsize, (long long)umask);
	}
	buf_puts(b, "};\n");
	s->rt_families |= 1u << RT_FAM_PROCFS;
	return ".procfs = stp_procfs, .nprocfs = ARRAY_SIZE(stp_procfs),";
}

// $value: the text a read probe gives back (written), or the data a
// write() brought (read).  A string; nothing else is a target here.
static Type procfs_target_type(Session *s, Probe *p, Node *n, TargetUse use)
{
	if (strcmp(n->name, "$value") || n->nmembers || n->addr_of) {
		if (use != TV_DEFINED)
			diag(DIAG_SEMANTIC, n->tok, "saw", "unresolved target-symbol expression");
		return T_UNKNOWN;
	}
	return T_STRING;
}

static char *procfs_target_expr(Gen *G, Probe *p, Node *n)
{
	return "stp_procfs_value(c)";
}

static void procfs_target_assign(Gen *G, Probe *p, Node *n, const char *op, const char *value)
{
	if (!strcmp(op, ".="))
		tr_line(G, "stp_procfs_append_value(c, %s);", value);
	else
		tr_line(G, "stp_procfs_set_value(c, %s);", value);
}

const Provider provider_procfs = {
	.name = "procfs",
	.patterns = procfs_patterns,
	.derive = procfs_derive,
	.emit = procfs_emit,
	.target_type = procfs_target_type,
	.target_expr = procfs_target_expr,
	.target_assign = procfs_target_assign,
};
