/*
 * staprun - load a probe module, run stapio on it, always remove it.
 *
 *   staprun [-v] [-w] [-i] [-o FILE] [-c CMD] [-x PID] [-s MB] [-T SECS]
 *           MODULE[.ko] [global=value ...]
 *   staprun -d MODULE_NAME          remove a (stale) module
 *   staprun -V
 *
 * The module is loaded with finit_module(2); "global=value" arguments become
 * module parameters (scalar script globals are module parameters, see
 * runtime/README.md) and -s becomes _stp_bufsize.  stapio runs as our child
 * ($STAPIO, else next to staprun, else ../libexec/systemtap/stapio relative
 * to staprun's directory); when it ends - normally, after an error or a
 * signal - the module is removed and stapio's exit status is ours.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef STAP_VERSION
#define STAP_VERSION "0.1"
#endif

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/systemtap"
#endif

#define DEBUGFS_MAGIC 0x64626720

static int verbose;
static volatile sig_atomic_t child;	/* stapio's pid, for forwarding */
static volatile sig_atomic_t interrupted;	/* a signal before stapio ran */

static void err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ERROR: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void info(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fputs("staprun: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: staprun [-v] [-w] [-i] [-o FILE] [-c CMD] [-x PID] [-s MB] [-T SECS]\n"
		"               MODULE[.ko] [global=value ...]\n"
		"       staprun -d MODULE_NAME\n"
		"       staprun -V\n"
		"  -v          verbose (repeat for more)\n"
		"  -w          suppress warnings\n"
		"  -i          pass standard input to the script (input.char, input.line)\n"
		"  -o FILE     write the output to FILE\n"
		"  -c CMD      run CMD once the probes are armed; stop when it exits\n"
		"  -x PID      set target() to PID (also -t PID)\n"
		"  -s MB       output buffer per CPU, 1..4095 MB (also -b MB)\n"
		"  -T SECS     stop the session after SECS seconds\n"
		"  -d NAME     remove module NAME\n");
	exit(1);
}

/* "foo/bar/baz-x.ko" -> "baz_x", as the kernel names it */
static char *module_name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name, *p;
	size_t n;

	base = base ? base + 1 : path;
	name = strdup(base);
	if (!name)
		exit(1);
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, ".ko") == 0)
		name[n - 3] = 0;
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static int remove_module(const char *name, bool quiet_missing)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0) {
			info("module %s removed", name);
			return 0;
		}
		if (errno != EAGAIN && errno != EBUSY)
			break;
		usleep(50 * 1000);	/* stapio's files may still be closing */
	}
	if (errno == ENOENT && quiet_missing)
		return 0;
	err("Couldn't remove module '%s': %s", name, strerror(errno));
	return 1;
}

/* The module's .modinfo lists "parmtype=NAME:TYPE" for each parameter. */
static bool module_has_param(const char *image, size_t size, const char *param)
{
	char key[256];
	size_t klen;
	const char *p, *end = image + size;

	klen = snprintf(key, sizeof(key), "parmtype=%s:", param);
	if (klen >= sizeof(key))
		return false;
	for (p = image; p + klen <= end; p++) {
		p = memchr(p, 'p', end - p);
		if (!p || p + klen > end)
			return false;
		if (memcmp(p, key, klen) == 0 && (p == image || p[-1] == 0))
			return true;
	}
	return false;
}

static char *read_file(int fd, size_t *size)
{
	struct stat st;
	char *buf;
	size_t done = 0;

	if (fstat(fd, &st) < 0)
		return NULL;
	buf = malloc(st.st_size + 1);
	if (!buf)
		return NULL;
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, st.st_size - done, done);

		if (n <= 0) {
			free(buf);
			return NULL;
		}
		done += n;
	}
	*size = done;
	return buf;
}

/* Module parameters: _stp_bufsize, then each global=value, quoted. */
static char *build_params(const char *image, size_t size, int bufsize_mb,
			  int argc, char **argv)
{
	size_t cap = 64, len;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		cap += strlen(argv[i]) + 4;
	s = malloc(cap);
	if (!s)
		exit(1);
	len = 0;
	s[0] = 0;
	if (bufsize_mb)
		len += sprintf(s, "_stp_bufsize=%d", bufsize_mb);
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char name[256];

		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(name)) {
			err("module option '%s' is not of the form global=value",
			    argv[i]);
			return NULL;
		}
		memcpy(name, argv[i], eq - argv[i]);
		name[eq - argv[i]] = 0;
		if (strchr(eq + 1, '"')) {
			err("module option '%s': values cannot contain '\"'",
			    argv[i]);
			return NULL;
		}
		if (name[0] == '_' || !module_has_param(image, size, name)) {
			err("module has no global variable named '%s' that can be set",
			    name);
			return NULL;
		}
		len += sprintf(s + len, "%s%s=\"%s\"", len ? " " : "", name,
			       eq + 1);
	}
	return s;
}

static int load_module(const char *path, const char *name, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		err("Couldn't open '%s': %s", path, strerror(errno));
		return -1;
	}
	info("loading %s with \"%s\"", path, params);
	rc = syscall(SYS_finit_module, fd, params, 0);
	if (rc < 0) {
		int e = errno;

		if (e == EEXIST)
			err("Couldn't insert module '%s': a module named '%s' is already loaded (remove it with 'staprun -d %s')",
			    path, name, name);
		else
			err("Couldn't insert module '%s': %s", path,
			    strerror(e));
	}
	close(fd);
	return rc;
}

/* debugfs carries the transport; mount it if nobody did. */
static void ensure_debugfs(void)
{
	struct statfs sf;

	if (statfs("/sys/kernel/debug", &sf) == 0 && sf.f_type == DEBUGFS_MAGIC)
		return;
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) == 0)
		info("mounted debugfs on /sys/kernel/debug");
}

static bool is_exec(const char *p)
{
	return access(p, X_OK) == 0;
}

static void find_stapio(char *out, size_t n)
{
	char self[PATH_MAX], *slash;
	const char *env = getenv("STAPIO");
	ssize_t len;

	if (env && *env) {
		snprintf(out, n, "%s", env);
		return;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(out, n, "%s/stapio", self);
			if (is_exec(out))
				return;
			snprintf(out, n, "%s/../libexec/systemtap/stapio", self);
			if (is_exec(out))
				return;
		}
	}
	snprintf(out, n, "%s/stapio", PKGLIBEXECDIR);
}

static void forward_signal(int sig)
{
	if (child > 0)
		kill(child, sig);
	else
		interrupted = 1;
}

int main(int argc, char **argv)
{
	const char *outfile = NULL, *cmd = NULL, *target = NULL, *tmo = NULL;
	const char *delete_name = NULL;
	int bufsize = 0, nowarn = 0, input = 0, c, st, status;
	char stapio[PATH_MAX + 64], modpath[PATH_MAX];
	char *name, *params, *image;
	char *sargv[32];
	int sargc = 0;
	size_t size;
	struct sigaction sa = { 0 };
	pid_t pid;

	while ((c = getopt(argc, argv, "+vwio:c:x:t:s:b:T:d:Vh")) != -1) {
		switch (c) {
		case 'v': verbose++; break;
		case 'w': nowarn = 1; break;
		case 'i': input = 1; break;
		case 'o': outfile = optarg; break;
		case 'c': cmd = optarg; break;
		case 'x': case 't': target = optarg; break;
		case 's': case 'b':
			bufsize = atoi(optarg);
			if (bufsize < 1 || bufsize > 4095) {
				err("buffer size must be between 1 and 4095 MB");
				return 1;
			}
			break;
		case 'T': tmo = optarg; break;
		case 'd': delete_name = optarg; break;
		case 'V':
			printf("staprun (SystemTap-compatible runtime) %s\n",
			       STAP_VERSION);
			return 0;
		default: usage();
		}
	}
	if (geteuid() != 0) {
		err("staprun must be run as root (privilege groups are not supported yet)");
		return 1;
	}
	if (delete_name) {
		name = module_name_of(delete_name);
		return remove_module(name, false);
	}
	if (optind >= argc)
		usage();
	if (cmd && target) {
		err("-c and -x cannot be used together");
		return 1;
	}

	/* a bare name is looked up in /lib/modules/RELEASE/systemtap */
	if (!strchr(argv[optind], '/') && access(argv[optind], F_OK) != 0) {
		struct utsname u;

		uname(&u);
		snprintf(modpath, sizeof(modpath),
			 "/lib/modules/%s/systemtap/%s%s", u.release,
			 argv[optind],
			 strstr(argv[optind], ".ko") ? "" : ".ko");
	} else {
		snprintf(modpath, sizeof(modpath), "%s", argv[optind]);
	}
	name = module_name_of(modpath);

	{
		int fd = open(modpath, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			err("Couldn't open '%s': %s", modpath, strerror(errno));
			return 1;
		}
		image = read_file(fd, &size);
		close(fd);
		if (!image) {
			err("Couldn't read '%s'", modpath);
			return 1;
		}
	}
	params = build_params(image, size, bufsize, argc - optind - 1,
			      argv + optind + 1);
	free(image);
	if (!params)
		return 1;

	find_stapio(stapio, sizeof(stapio));
	if (!is_exec(stapio)) {
		err("cannot find stapio (tried %s; set $STAPIO)", stapio);
		return 1;
	}
	ensure_debugfs();

	/* From here on the module is ours to remove, whatever happens. */
	sa.sa_handler = forward_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (load_module(modpath, name, params) < 0)
		return 1;
	if (interrupted) {
		remove_module(name, false);
		return 1;
	}

	sargv[sargc++] = stapio;
	while (sargc <= verbose && sargc < 4)
		sargv[sargc++] = "-v";
	if (nowarn)
		sargv[sargc++] = "-w";
	if (input)
		sargv[sargc++] = "-i";
	if (outfile) {
		sargv[sargc++] = "-o";
		sargv[sargc++] = (char *)outfile;
	}
	if (cmd) {
		sargv[sargc++] = "-c";
		sargv[sargc++] = (char *)cmd;
	}
	if (target) {
		sargv[sargc++] = "-x";
		sargv[sargc++] = (char *)target;
	}
	if (tmo) {
		sargv[sargc++] = "-T";
		sargv[sargc++] = (char *)tmo;
	}
	sargv[sargc++] = name;
	sargv[sargc] = NULL;

	info("running %s", stapio);
	pid = fork();
	if (pid == 0) {
		execv(stapio, sargv);
		err("cannot run %s: %s", stapio, strerror(errno));
		_exit(1);
	}
	status = 1;
	if (pid < 0) {
		err("fork: %s", strerror(errno));
	} else {
		child = pid;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				break;
		child = 0;
		if (WIFEXITED(st))
			status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			err("stapio was killed by signal %d", WTERMSIG(st));
	}
	if (remove_module(name, false))
		status = 1;
	return status;
}
