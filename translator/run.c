// run.c: pass 5, staprun runs the module (it hands over to stapio).
//
// stap's options map to staprun's as SystemTap maps them: -o, -c, -x, -s
// (staprun -s), -v, -w, and -G var=value / var=value module parameters.
// On a kernel that cannot load this module (another release, modules
// disabled) it says so and points to the test VM.
#include "stap.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *find_staprun(void)
{
	const char *e = getenv("SYSTEMTAP_STAPRUN");
	if (e && *e)
		return e;
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		char *slash = strrchr(buf, '/');
		if (slash) {
			*slash = 0;
			const char *p = arena_printf("%s/staprun", buf);
			if (access(p, X_OK) == 0)
				return p;
		}
	}
	return "staprun";
}

static bool can_load_here(Session *s, const char **why)
{
	struct utsname u;
	uname(&u);
	if (strcmp(u.release, s->release)) {
		*why = arena_printf("the module is built for kernel %s, but this machine runs %s",
				    s->release, u.release);
		return false;
	}
	char *dis = read_file("/proc/sys/kernel/modules_disabled", NULL);
	if (dis && dis[0] == '1') {
		free(dis);
		*why = "this kernel does not load modules (kernel.modules_disabled = 1)";
		return false;
	}
	free(dis);
	return true;
}

static pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int run_module(Session *s)
{
	const char *why;
	if (!can_load_here(s, &why)) {
		fprintf(stderr, "stap: cannot run pass 5 here: %s; run the script in a VM with "
			"testsuite/vm/stap-vm, or build it with -p4 and run it where it fits\n", why);
		return 1;
	}
	Vec argv = {0};
	vec_push(&argv, (void *)find_staprun());
	for (int i = 1; i < s->verbose; i++)
		vec_push(&argv, "-v");
	if (s->suppress_warnings)
		vec_push(&argv, "-w");
	// a script that reads standard input (input.char, input.line: the
	// procfs file __stdin) gets it, as SystemTap passes staprun -i
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (!strcmp(p->provider->name, "procfs") && p->flags && p->sarg[0] &&
		    !strcmp(p->sarg[0], "__stdin")) {
			vec_push(&argv, "-i");
			break;
		}
	}
	if (s->output_file) {
		vec_push(&argv, "-o");
		vec_push(&argv, (void *)s->output_file);
	}
	if (s->target_cmd) {
		vec_push(&argv, "-c");
		vec_push(&argv, (void *)s->target_cmd);
	}
	if (s->target_pid) {
		vec_push(&argv, "-x");
		vec_push(&argv, (void *)s->target_pid);
	}
	if (s->buffer_mb) {
		vec_push(&argv, "-s");
		vec_push(&argv, arena_printf("%d", s->buffer_mb));
	}
	vec_push(&argv, (void *)s->module_path);
	for (int i = 0; i < s->globals_set.len; i++)
		vec_push(&argv, VEC_AT(&s->globals_set, i));
	vec_push(&argv, NULL);
	if (s->verbose)
		fprintf(stderr, "Pass 5: starting run.\n");
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "stap: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv.items[0], (char **)argv.items);
		fprintf(stderr, "stap: cannot run %s: %s\n", (char *)argv.items[0], strerror(errno));
		_exit(127);
	}
	// signals go to staprun, which stops the session cleanly
	child = pid;
	struct sigaction sa = {.sa_handler = forward};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	if (s->verbose)
		fprintf(stderr, "Pass 5: run completed%s.\n", rc ? " with errors" : "");
	return rc;
}
