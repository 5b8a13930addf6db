/*
 * stapio - the user-space end of a probe module's transport.
 *
 *   stapio [-v] [-w] [-i] [-o FILE] [-c CMD] [-x PID] [-T SECS] MODULE_NAME
 *
 * Started by staprun once the module is loaded.  Opens the module's control
 * channel and output rings (runtime/transport_msg.h), sends START, merges the
 * per-CPU output records back into their global order and writes them to
 * stdout or FILE, prints warnings and errors on stderr, and stops the session
 * (STOP, then waits for EXIT_ACK and drains every ring) on exit(), SIGINT,
 * SIGTERM, SIGHUP, -T expiry or the end of the -c command.
 * With -i, standard input goes to the script (input.char, input.line): each
 * byte read is written on its own to the module's procfs file __stdin, once
 * the session has started; a terminal is switched to non-canonical input
 * meanwhile, so characters come as they are typed.
 * Exit status: 0, or 1 after a runtime error, a failed start or a failing -c
 * command.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "../runtime/transport_msg.h"

#define MAX_RINGS 1025
#define RING_READ_CHUNK (1 << 20)
#define RING_READ_MAX (8 << 20)
#define OUT_BUF_SIZE (256 * 1024)

struct ring {
	int fd;
	char *buf;		/* bytes read, not yet consumed */
	size_t off, len, cap;
};

static struct {
	int verbose;
	bool no_warnings;
	bool input;
	const char *outfile;
	const char *cmd;
	pid_t target;
	long timeout_secs;
	const char *module;
} opt;

static int cmd_fd = -1;
static struct ring rings[MAX_RINGS];
static int nrings;
static int out_fd = 1;
static char out_buf[OUT_BUF_SIZE];
static size_t out_len;
static uint64_t next_seq = 1;

static volatile sig_atomic_t got_stop_signal;
static volatile sig_atomic_t got_sigchld;

static pid_t child_pid;
static int child_go_fd = -1;	/* write end: releases the -c command */
static bool child_running;

static bool stop_sent, started, exit_acked;
static bool in_cmd, stop_wanted;	/* a START/STOP write is under way */
static int exit_status;
static uint64_t expected_end;

static void verbose(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	fputs("stapio: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ERROR: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- standard input to the script (-i) ---------------------------------- */

static int stdin_fd = -1;	/* the module's __stdin */
static struct termios saved_termios;
static bool termios_saved;

static void *stdin_thread(void *arg)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			/* one character a write: input.char fires for each */
			while (write(stdin_fd, buf + i, 1) < 0) {
				if (errno != EINTR)
					return NULL;	/* the session is ending */
			}
		}
	}
	return NULL;
}

static void stdin_start(void)
{
	char path[4200];
	struct termios t;
	pthread_t th;

	/* procfs files are in /proc, whatever the channel uses */
	snprintf(path, sizeof(path), "/proc/systemtap/%s/__stdin", opt.module);
	stdin_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (stdin_fd < 0 && errno == ENOENT) {
		verbose("the script reads no standard input (no %s)", path);
		return;
	}
	if (stdin_fd < 0) {
		fail("cannot pass standard input to the script: %s: %s", path,
		     strerror(errno));
		return;
	}
	if (isatty(0) && tcgetattr(0, &saved_termios) == 0) {
		t = saved_termios;
		t.c_lflag &= ~ICANON;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (tcsetattr(0, TCSANOW, &t) == 0)
			termios_saved = true;
	}
	if (pthread_create(&th, NULL, stdin_thread, NULL) != 0) {
		fail("cannot pass standard input to the script: %s", strerror(errno));
		return;
	}
	pthread_detach(th);
}

static void stdin_stop(void)
{
	if (termios_saved)
		tcsetattr(0, TCSANOW, &saved_termios);
	termios_saved = false;
}

/* ---- output ------------------------------------------------------------- */

static void out_flush(void)
{
	size_t done = 0;

	while (done < out_len) {
		ssize_t n = write(out_fd, out_buf + done, out_len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("writing output: %s", strerror(errno));
			exit_status = 1;
			if (!got_stop_signal)	/* nothing more can be shown */
				got_stop_signal = 1;
			break;
		}
		done += n;
	}
	out_len = 0;
}

static void out_write(const char *p, size_t n)
{
	while (n) {
		size_t chunk;

		if (out_len == OUT_BUF_SIZE)
			out_flush();
		chunk = OUT_BUF_SIZE - out_len;
		if (chunk > n)
			chunk = n;
		memcpy(out_buf + out_len, p, chunk);
		out_len += chunk;
		p += chunk;
		n -= chunk;
	}
}

/* ---- rings -------------------------------------------------------------- */

static int ring_cmp_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

static int open_rings(const char *dir)
{
	struct dirent **names;
	int i, n;

	n = scandir(dir, &names, NULL, ring_cmp_name);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char path[4096 + 512];

		if (strncmp(names[i]->d_name, ".trace", 6) == 0 &&
		    nrings < MAX_RINGS) {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			rings[nrings].fd = open(path, O_RDONLY | O_NONBLOCK |
						O_CLOEXEC);
			if (rings[nrings].fd < 0) {
				fail("cannot open %s: %s", path,
				     strerror(errno));
				return -1;
			}
			nrings++;
		}
		free(names[i]);
	}
	free(names);
	verbose("%d output rings in %s", nrings, dir);
	return nrings ? 0 : -1;
}

/* Read what a ring has; returns bytes read. */
static size_t ring_fill(struct ring *r)
{
	size_t total = 0;

	for (;;) {
		ssize_t n;

		if (r->off && r->off == r->len)
			r->off = r->len = 0;
		if (r->cap - r->len < RING_READ_CHUNK) {
			if (r->off) {	/* compact */
				memmove(r->buf, r->buf + r->off,
					r->len - r->off);
				r->len -= r->off;
				r->off = 0;
			}
			if (r->cap - r->len < RING_READ_CHUNK) {
				size_t cap = r->cap ? r->cap * 2 :
					     4 * RING_READ_CHUNK;
				char *b = realloc(r->buf, cap);

				if (!b) {
					fail("out of memory");
					exit(1);
				}
				r->buf = b;
				r->cap = cap;
			}
		}
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return total;
		r->len += n;
		total += n;
		if (total >= RING_READ_MAX)	/* let the others catch up */
			return total;
	}
}

/* The next complete record of a ring, or NULL. */
static const struct stp_rec_hdr *ring_peek(struct ring *r)
{
	struct stp_rec_hdr *h;

	if (r->len - r->off < sizeof(*h))
		return NULL;
	h = (struct stp_rec_hdr *)(r->buf + r->off);
	if (h->magic != STP_REC_MAGIC) {
		fail("corrupt output stream (bad record header); dropping %zu bytes",
		     r->len - r->off);
		exit_status = 1;
		r->off = r->len;
		return NULL;
	}
	if (r->len - r->off < sizeof(*h) + h->len)
		return NULL;
	return h;
}

static void ring_consume(struct ring *r)
{
	const struct stp_rec_hdr *h = (const void *)(r->buf + r->off);

	out_write((const char *)(h + 1), h->len);
	r->off += sizeof(*h) + h->len;
}

/*
 * Emit records in sequence order.  Sequence numbers have no gaps, so record
 * next_seq is either here or still being written.  final: the module is
 * done and every ring is drained, so emit whatever is left in order.
 */
static void merge(bool final)
{
	for (;;) {
		struct ring *best = NULL;
		uint64_t best_seq = UINT64_MAX;
		int i;

		for (i = 0; i < nrings; i++) {
			const struct stp_rec_hdr *h = ring_peek(&rings[i]);

			if (h && h->seq < best_seq) {
				best_seq = h->seq;
				best = &rings[i];
			}
		}
		if (!best)
			return;
		if (best_seq != next_seq) {
			if (!final)
				return;
			fprintf(stderr, "WARNING: output records %llu..%llu missing\n",
				(unsigned long long)next_seq,
				(unsigned long long)best_seq - 1);
		}
		ring_consume(best);
		next_seq = best_seq + 1;
	}
}

static void drain_rings(bool final)
{
	int i;
	bool more = true;

	while (more) {
		more = false;
		for (i = 0; i < nrings; i++)
			if (ring_fill(&rings[i]))
				more = true;
		merge(false);
		if (!final)
			break;
	}
	if (final)
		merge(true);
}

/* ---- control channel ---------------------------------------------------- */

static void send_cmd(uint32_t type, const void *payload, uint32_t len)
{
	char buf[sizeof(struct stp_msg_hdr) + 256];
	struct stp_msg_hdr h = { .type = type, .len = len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, len);
	while (write(cmd_fd, buf, sizeof(h) + len) < 0) {
		if (errno == EINTR)
			continue;
		fail("control channel write: %s", strerror(errno));
		exit_status = 1;
		return;
	}
}

/*
 * START and STOP run the begin and end probes inside our write(), in our
 * context (as in SystemTap: execname() is "stapio" there).  Meanwhile a
 * thread drains the rings and the control channel, so probes that print
 * more than a ring holds do not wait for us.  The main thread is blocked
 * in write() all along: the two never run our code at the same time.
 */
static struct pollfd *pfd;	/* cmd_fd, the rings, wake_fd[0] */
static int wake_fd[2] = { -1, -1 };
static sigset_t no_signals;	/* ppoll()'s mask: signals come in there */

static void read_ctl(void);

static void *drain_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec tmo = { 0, 200 * 1000 * 1000 };

		if (ppoll(pfd, nrings + 2, &tmo, &no_signals) < 0 &&
		    errno != EINTR)
			break;
		read_ctl();
		drain_rings(false);
		out_flush();
		if (pfd[nrings + 1].revents)
			break;
	}
	return NULL;
}

static void send_cmd_draining(uint32_t type, const void *payload, uint32_t len)
{
	pthread_t t;
	bool threaded;
	char c;

	in_cmd = true;
	threaded = pthread_create(&t, NULL, drain_thread, NULL) == 0;
	send_cmd(type, payload, len);
	if (threaded) {
		if (write(wake_fd[1], "x", 1) != 1)
			fail("cannot wake the output thread: %s", strerror(errno));
		pthread_join(t, NULL);
		while (read(wake_fd[0], &c, 1) == 1)
			;
	}
	in_cmd = false;
}

static void send_stop(void)
{
	if (in_cmd) {		/* exit() in a begin probe: STOP after START */
		stop_wanted = true;
		return;
	}
	if (stop_sent)
		return;
	stop_sent = true;
	verbose("sending STOP");
	send_cmd_draining(STP_CMD_STOP, NULL, 0);
}

static void send_reloc(void)
{
	struct stp_cmd_reloc r = { .module = "kernel", .section = "_stext" };
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
		    strcmp(name, "_stext") == 0) {
			r.address = addr;
			send_cmd(STP_CMD_RELOC, &r, sizeof(r));
			break;
		}
	}
	fclose(f);
}

static void send_tzinfo(void)
{
	struct stp_cmd_tzinfo tz = { 0 };
	time_t now = time(NULL);
	struct tm tm;

	tzset();
	if (!localtime_r(&now, &tm))
		return;
	tz.gmtoff = tm.tm_gmtoff;
	snprintf(tz.name, sizeof(tz.name), "%s", tm.tm_zone ? tm.tm_zone : "");
	send_cmd(STP_CMD_TZINFO, &tz, sizeof(tz));
}

static void release_child(void)
{
	if (child_go_fd < 0)
		return;
	/* EPIPE: it already ended (a -c command wordexp() rejected) */
	if (write(child_go_fd, "g", 1) != 1 && errno != EPIPE)
		fail("cannot release the -c command: %s", strerror(errno));
	close(child_go_fd);
	child_go_fd = -1;
}

/* ---- system() ----------------------------------------------------------- */

#define MAX_SYSTEM_CMDS 64

/* A child starts with no blocked signals and the default handlers. */
static void child_reset_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

static char *system_cmds[MAX_SYSTEM_CMDS];	/* received, not yet started */
static int nsystem_cmds;

static void queue_system(const char *p, uint32_t len)
{
	char *cmd;

	if (nsystem_cmds == MAX_SYSTEM_CMDS) {
		fail("system(): too many commands at once; dropped one");
		return;
	}
	cmd = strndup(p, len);
	if (!cmd) {
		fail("system(): out of memory");
		return;
	}
	system_cmds[nsystem_cmds++] = cmd;
}

/*
 * Start the queued commands in the background with sh -c, after the
 * output printed before them: SystemTap runs them once the probe that
 * called system() has finished.  Their output goes straight to our stdout
 * and stderr.
 */
static void run_system_cmds(void)
{
	int i;

	if (!nsystem_cmds)
		return;
	out_flush();
	fflush(stderr);
	for (i = 0; i < nsystem_cmds; i++) {
		pid_t p = fork();

		if (p == 0) {
			child_reset_signals();
			execl("/bin/sh", "sh", "-c", system_cmds[i], (char *)NULL);
			_exit(127);
		}
		if (p < 0)
			fail("system(): cannot fork: %s", strerror(errno));
		else
			verbose("system() command is pid %d", p);
		free(system_cmds[i]);
	}
	nsystem_cmds = 0;
}

static void handle_msg(uint32_t type, const char *p, uint32_t len)
{
	switch (type) {
	case STP_MSG_ERROR:
		exit_status = 1;
		/* fall through */
	case STP_MSG_TEXT:
		if (opt.no_warnings && type == STP_MSG_TEXT &&
		    len >= 9 && memcmp(p, "WARNING: ", 9) == 0)
			break;
		out_flush();
		fwrite(p, 1, len, stderr);
		fflush(stderr);
		break;
	case STP_MSG_STARTED: {
		struct stp_msg_started m = { 0 };

		memcpy(&m, p, len < sizeof(m) ? len : sizeof(m));
		verbose("STARTED rc=%d", m.rc);
		started = true;
		if (m.rc == 0) {
			release_child();
		} else {
			exit_status = 1;
			if (child_go_fd >= 0) {	/* never run it */
				close(child_go_fd);
				child_go_fd = -1;
			}
		}
		break;
	}
	case STP_MSG_SYSTEM:
		queue_system(p, len);
		break;
	case STP_MSG_REQUEST_EXIT:
		verbose("module requests exit");
		send_stop();
		break;
	case STP_MSG_EXIT_ACK: {
		struct stp_msg_exit m = { 0 };

		memcpy(&m, p, len < sizeof(m) ? len : sizeof(m));
		verbose("EXIT_ACK errors=%u skipped=%u records=%llu lost=%llu",
			m.errors, m.skipped,
			(unsigned long long)m.seq_end - 1,
			(unsigned long long)m.lost_records);
		if (m.errors)
			exit_status = 1;
		expected_end = m.seq_end;
		exit_acked = true;
		break;
	}
	default:
		verbose("unknown control message %u", type);
	}
}

static void read_ctl(void)
{
	static char buf[128 * 1024];
	ssize_t n;
	size_t off;

	for (;;) {
		n = read(cmd_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (off = 0; off + sizeof(struct stp_msg_hdr) <= (size_t)n;) {
			struct stp_msg_hdr h;

			memcpy(&h, buf + off, sizeof(h));
			off += sizeof(h);
			if (off + h.len > (size_t)n)
				break;
			handle_msg(h.type, buf + off, h.len);
			off += h.len;
		}
	}
}

/* ---- the -c command ----------------------------------------------------- */

static int start_child(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	child_pid = fork();
	if (child_pid < 0)
		return -1;
	if (child_pid == 0) {
		char c;

		wordexp_t w;
		char *sh_argv[] = { "sh", "-c", (char *)opt.cmd, NULL };
		char **argv = sh_argv;
		int rc;

		child_reset_signals();
		close(p[1]);
		/*
		 * As SystemTap's stapio: split the command like a shell
		 * (no command substitution, undefined variables are errors)
		 * and exec it directly, so that target() is the command
		 * itself; only a command with shell metacharacters (| & ; <
		 * > ( ) { } newline, unquoted) goes through sh -c.  Parse
		 * errors end the child at once, before the probes start.
		 */
		rc = wordexp(opt.cmd, &w, WRDE_NOCMD | WRDE_UNDEF);
		if (rc == 0) {
			if (w.we_wordc < 1) {
				fprintf(stderr, "ERROR: empty -c COMMAND");
				_exit(1);
			}
			argv = w.we_wordv;
		} else if (rc == WRDE_SYNTAX) {
			fprintf(stderr, "ERROR: wordexp: syntax error (unmatched quotes?) in -c COMMAND\n");
			_exit(1);
		} else if (rc != WRDE_BADCHAR) {
			fprintf(stderr, "ERROR: wordexp: parsing error (%d)\n", rc);
			_exit(1);
		}
		if (read(p[0], &c, 1) != 1)	/* probes never armed */
			_exit(127);
		close(p[0]);
		execvp(argv[0], argv);
		perror(opt.cmd);
		_exit(1);
	}
	close(p[0]);
	child_go_fd = p[1];
	child_running = true;
	opt.target = child_pid;
	verbose("-c command is pid %d", child_pid);
	return 0;
}

static void child_ended(int st)
{
	child_running = false;
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		fprintf(stderr, "WARNING: Child process exited with status %d\n",
			WEXITSTATUS(st));
		exit_status = 1;
	} else if (WIFSIGNALED(st)) {
		fprintf(stderr, "WARNING: Child process exited with signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
		exit_status = 1;
	}
	verbose("-c command ended");
	send_stop();
}

/* The -c command, and system() commands (reaped silently). */
static void reap_children(void)
{
	int st;
	pid_t p;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		if (child_running && p == child_pid)
			child_ended(st);
}

/* ---- main --------------------------------------------------------------- */

static void on_stop_signal(int sig)
{
	(void)sig;
	if (got_stop_signal < 100)
		got_stop_signal++;
}

static void on_sigchld(int sig)
{
	(void)sig;
	got_sigchld = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: stapio [-v] [-w] [-i] [-o FILE] [-c CMD] [-x PID] [-T SECS] MODULE_NAME\n");
	exit(1);
}

static int open_channel(char *dir, size_t dirlen)
{
	static const char *const roots[] = {
		"/sys/kernel/debug/systemtap", "/proc/systemtap",
	};
	char path[4200];
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(dir, dirlen, "%s/%s", roots[i], opt.module);
		snprintf(path, sizeof(path), "%s/.cmd", dir);
		cmd_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (cmd_fd >= 0)
			return 0;
		if (errno == EBUSY) {
			fail("module '%s' is already attached to another stapio",
			     opt.module);
			return -1;
		}
	}
	fail("Cannot attach to module %s control channel; not running?",
	     opt.module);
	return -1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	struct stp_cmd_start st = { .version = STP_PROTOCOL_VERSION };
	sigset_t block;
	struct timespec t0, now;
	char dir[4096];
	int c, i;

	while ((c = getopt(argc, argv, "+vwio:c:x:T:")) != -1) {
		switch (c) {
		case 'v': opt.verbose++; break;
		case 'w': opt.no_warnings = true; break;
		case 'i': opt.input = true; break;
		case 'o': opt.outfile = optarg; break;
		case 'c': opt.cmd = optarg; break;
		case 'x': opt.target = atoi(optarg); break;
		case 'T': opt.timeout_secs = atol(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	opt.module = argv[optind];

	if (opt.outfile) {
		out_fd = open(opt.outfile, O_WRONLY | O_CREAT | O_TRUNC |
			      O_CLOEXEC, 0666);
		if (out_fd < 0) {
			fail("cannot open output file %s: %s", opt.outfile,
			     strerror(errno));
			return 1;
		}
	}

	/* signals stay blocked except while waiting in ppoll() */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&no_signals);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_sigchld;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_channel(dir, sizeof(dir)) || open_rings(dir))
		return 1;
	if (opt.cmd && start_child()) {
		fail("cannot start -c command: %s", strerror(errno));
		return 1;
	}
	pfd = calloc(nrings + 2, sizeof(*pfd));
	if (!pfd || pipe2(wake_fd, O_CLOEXEC | O_NONBLOCK) < 0) {
		fail("cannot set up the output: %s", strerror(errno));
		return 1;
	}
	pfd[0].fd = cmd_fd;
	pfd[0].events = POLLIN;
	for (i = 0; i < nrings; i++) {
		pfd[i + 1].fd = rings[i].fd;
		pfd[i + 1].events = POLLIN;
	}
	pfd[nrings + 1].fd = wake_fd[0];
	pfd[nrings + 1].events = POLLIN;

	send_reloc();
	send_tzinfo();
	st.target = opt.target;
	verbose("sending START (target %d)", opt.target);
	send_cmd_draining(STP_CMD_START, &st, sizeof(st));
	verbose("START done");
	if (stop_wanted)
		send_stop();
	if (opt.input && !stop_sent)
		stdin_start();
	clock_gettime(CLOCK_MONOTONIC, &t0);

	while (!exit_acked) {
		struct timespec tmo = { 0, 200 * 1000 * 1000 };

		if (ppoll(pfd, nrings + 1, &tmo, &no_signals) < 0 && errno != EINTR) {
			fail("poll: %s", strerror(errno));
			break;
		}
		read_ctl();
		drain_rings(false);
		out_flush();
		run_system_cmds();
		if (got_sigchld) {
			got_sigchld = 0;
			reap_children();
		}
		if (got_stop_signal) {
			if (!stop_sent)
				verbose("stop requested by signal");
			send_stop();
			/* signals keep coming: the module does not answer */
			if (got_stop_signal >= 5) {
				fail("no answer from module %s; giving up",
				     opt.module);
				exit_status = 1;
				break;
			}
		}
		if (opt.timeout_secs && !stop_sent) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec >= opt.timeout_secs) {
				verbose("-T %ld expired", opt.timeout_secs);
				send_stop();
			}
		}
	}

	stdin_stop();
	/* Everything the module wrote is in the rings now: drain it all. */
	read_ctl();
	drain_rings(true);
	out_flush();
	run_system_cmds();
	if (expected_end && next_seq != expected_end)
		fprintf(stderr, "WARNING: %llu output records were not received\n",
			(unsigned long long)(expected_end - next_seq));

	if (child_go_fd >= 0) {
		close(child_go_fd);	/* never released: it exits */
		child_go_fd = -1;
	}
	if (child_running) {	/* the session ended first */
		int wst;

		/* already gone (not reaped yet): its status counts as usual */
		if (waitpid(child_pid, &wst, WNOHANG) == child_pid) {
			child_running = false;
			if (WIFEXITED(wst) && WEXITSTATUS(wst) != 0) {
				fprintf(stderr, "WARNING: Child process exited with status %d\n",
					WEXITSTATUS(wst));
				exit_status = 1;
			}
		}
	}
	if (child_running) {	/* still running: SIGTERM, SIGKILL */
		int wst, i;

		kill(child_pid, SIGTERM);
		for (i = 0; i < 40 && waitpid(child_pid, &wst, WNOHANG) == 0; i++)
			usleep(50 * 1000);
		if (i == 40) {
			kill(child_pid, SIGKILL);
			waitpid(child_pid, &wst, 0);
		}
	}
	if (opt.outfile && close(out_fd) < 0) {
		fail("closing %s: %s", opt.outfile, strerror(errno));
		exit_status = 1;
	}
	verbose("exit status %d", exit_status);
	return exit_status;
}
