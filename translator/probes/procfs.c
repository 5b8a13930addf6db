// procfs.c: procfs[("name")][.umask(N)].read[.maxsize(N)] and .write:
// files under /proc/systemtap/MODULE/.
#include "stap.h"

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
	if (name && (!*path || path[strlen(path) - 1] == '/' || path[0] == '/' ||
		     strstr(path, "//") || strstr(path, "..") )) {
		Node *first = VEC_AT(&p->point->components, 0);
		diag(DIAG_SEMANTIC, first->tok, "saw", "while resolving probe point");
		diag(DIAG_SEMANTIC, name->tok, "saw",
		     "invalid procfs path '%s' (a relative path, no empty, '.' or '..' parts)", path);
		return false;
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
				diag(DIAG_SEMANTIC, c->arg->tok, "saw", "maxsize must be greater than 0");
				return false;
			}
			p->arg[0] = c->arg->num;
		} else if (!strcmp(c->name, "umask")) {
			if (c->arg->num < 0 || c->arg->num > 0777) {
				diag(DIAG_SEMANTIC, c->arg->tok, "saw", "umask must be between 0 and 0777");
				return false;
			}
			p->arg[1] = c->arg->num;
		}
	}
	vec_push(out, p);
	return true;
}

const Provider provider_procfs = {
	.name = "procfs",
	.patterns = procfs_patterns,
	.derive = procfs_derive,
};
