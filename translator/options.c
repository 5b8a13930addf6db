// options.c: SystemTap's command line (option letters and long names are
// SystemTap's).  Options whose pass is not built yet are refused with a
// clear message rather than ignored.
#include "stap.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

enum {
	LONG_VP = 1000,
	LONG_COMPATIBLE,
	LONG_UNSUPPORTED,
	LONG_DISABLE_CACHE,
	LONG_CLEAN_CACHE,
	LONG_POISON_CACHE,
	LONG_DUMP = 1100, // + DUMP_*
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"vp", required_argument, NULL, LONG_VP},
	{"compatible", required_argument, NULL, LONG_COMPATIBLE},
	// recognised, but their passes do not exist yet
	{"dump-probe-types", no_argument, NULL, LONG_DUMP + DUMP_PROBE_TYPES},
	{"dump-probe-aliases", no_argument, NULL, LONG_DUMP + DUMP_PROBE_ALIASES},
	{"dump-functions", no_argument, NULL, LONG_DUMP + DUMP_FUNCTIONS},
	{"runtime", required_argument, NULL, LONG_UNSUPPORTED},
	{"bpf", no_argument, NULL, LONG_UNSUPPORTED},
	{"privilege", required_argument, NULL, LONG_UNSUPPORTED},
	{"unprivileged", no_argument, NULL, LONG_UNSUPPORTED},
	{"check-version", no_argument, NULL, LONG_UNSUPPORTED},
	{"skip-badvars", no_argument, NULL, LONG_UNSUPPORTED},
	{"suppress-handler-errors", no_argument, NULL, LONG_UNSUPPORTED},
	{"use-server", optional_argument, NULL, LONG_UNSUPPORTED},
	{"list-servers", optional_argument, NULL, LONG_UNSUPPORTED},
	{"trust-servers", optional_argument, NULL, LONG_UNSUPPORTED},
	{"use-server-on-error", optional_argument, NULL, LONG_UNSUPPORTED},
	{"remote", required_argument, NULL, LONG_UNSUPPORTED},
	{"remote-prefix", no_argument, NULL, LONG_UNSUPPORTED},
	{"tmpdir", required_argument, NULL, LONG_UNSUPPORTED},
	{"download-debuginfo", optional_argument, NULL, LONG_UNSUPPORTED},
	{"sysroot", required_argument, NULL, LONG_UNSUPPORTED},
	{"sysenv", required_argument, NULL, LONG_UNSUPPORTED},
	{"suppress-time-limits", no_argument, NULL, LONG_UNSUPPORTED},
	{"save-uprobes", no_argument, NULL, LONG_UNSUPPORTED},
	{"target-namespace", required_argument, NULL, LONG_UNSUPPORTED},
	{"ldd", no_argument, NULL, LONG_UNSUPPORTED},
	{"all-modules", no_argument, NULL, LONG_UNSUPPORTED},
	{"modinfo", required_argument, NULL, LONG_UNSUPPORTED},
	{"prologue-searching", optional_argument, NULL, LONG_UNSUPPORTED},
	{"disable-cache", no_argument, NULL, LONG_DISABLE_CACHE},
	{"clean-cache", no_argument, NULL, LONG_CLEAN_CACHE},
	{"poison-cache", no_argument, NULL, LONG_POISON_CACHE},
	{"interactive", no_argument, NULL, LONG_UNSUPPORTED},
	{"color", optional_argument, NULL, LONG_UNSUPPORTED},
	{"colour", optional_argument, NULL, LONG_UNSUPPORTED},
	{NULL, 0, NULL, 0},
};

static const char short_options[] = "hVvp:I:e:E:D:guwWr:a:kbs:m:o:c:x:R:B:G:tT:qFS:d:Pl:L:";

void usage(FILE *out)
{
	fprintf(out,
		"Usage: stap [options] FILE                    Run script in file.\n"
		"   or: stap [options] -                       Run script on stdin.\n"
		"   or: stap [options] -e SCRIPT               Run given script.\n"
		"\n"
		"Options:\n"
		"   --         end of translator options, script options follow\n"
		"   -h --help  show help\n"
		"   -V --version\n"
		"              show version\n"
		"   -p NUM     stop after pass NUM 1-5, instead of 5\n"
		"              (parse, elaborate, translate, compile, run)\n"
		"   -v         add verbosity to all passes\n"
		"   --vp {N}+  add per-pass verbosity [00000]\n"
		"   -u         unoptimized translation\n"
		"   -w         suppress warnings\n"
		"   -W         turn warnings into errors\n"
		"   -g         guru mode\n"
		"   -k         keep temporary directory\n"
		"   -s NUM     buffer size in megabytes, instead of 0\n"
		"   -I DIR     look in DIR for additional .stp script files\n"
		"   -D NM=VAL  emit macro definition into generated C code\n"
		"   -G VAR=VAL set global variable to value\n"
		"   -r DIR     cross-compile to kernel with given build tree; or else\n"
		"   -r RELEASE cross-compile to kernel /lib/modules/RELEASE/build\n"
		"   -a ARCH    cross-compile to given architecture\n"
		"   -m MODULE  set probe module name, instead of stap_<hash>\n"
		"   -o FILE    send script output to file, instead of stdout\n"
		"   -E SCRIPT  run the SCRIPT in addition to the main script specified\n"
		"              through -e or a script file\n"
		"   -c CMD     start the probes, run CMD, and exit when it finishes\n"
		"   -x PID     sets target() to PID\n"
		"   -T TIME    terminate the script after TIME seconds\n"
		"   --compatible=VERSION\n"
		"              suppress incompatible language/tapset changes beyond VERSION,\n"
		"              instead of 4.8\n"
		"\n"
		"   -l PROBE   just list matching probe points\n"
		"   -L PROBE   just list matching probe points and script-level variables\n"
		"   --dump-probe-types\n"
		"              show available probe types\n"
		"   --dump-probe-aliases\n"
		"              show available probe aliases\n"
		"   --dump-functions\n"
		"              show available tapset functions\n"
		"   --disable-cache\n"
		"              do not use the module cache\n"
		"   --clean-cache\n"
		"              prune the cache to its size limit, then exit\n"
		"   --poison-cache\n"
		"              rebuild instead of using what the cache has\n"
		"\n"
		"Not supported yet (refused with an error): -R -B -b -F -S -d -t -P\n"
		"and the long options not listed here.\n");
}

static NORETURN void unsupported(const char *opt)
{
	fprintf(stderr, "stap: option '%s' is not supported yet\n", opt);
	exit(1);
}

static void set_target(Session *s, const char *r)
{
	if (strchr(r, '/')) {
		// a build tree: its release is in include/config/kernel.release
		s->build_dir = r;
		char *rel = read_file(arena_printf("%s/include/config/kernel.release", r), NULL);
		if (!rel)
			fatal("cannot read kernel release from build tree '%s' "
			      "(include/config/kernel.release)", r);
		rel[strcspn(rel, "\n")] = 0;
		s->release = arena_strdup(rel);
		free(rel);
	} else {
		s->release = r;
		s->build_dir = arena_printf("/lib/modules/%s/build", r);
	}
}

void options_parse(Session *s, int argc, char **argv)
{
	int c;
	s->last_pass = 5;
	opterr = 0;
	// Like SystemTap, options may also follow the script; "--" ends them.
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("Systemtap-compatible translator/driver (version %s, SystemTap %s language)\n"
			       "This is free software; see the source for copying conditions.\n",
			       STAP_VERSION, "4.8");
			exit(0);
		case 'v':
			s->verbose++;
			for (int i = 0; i < 5; i++)
				s->vp[i]++;
			break;
		case LONG_VP:
			for (int i = 0; optarg[i]; i++) {
				if (i >= 5 || optarg[i] < '0' || optarg[i] > '9')
					fatal("invalid --vp argument '%s': expected up to five digits", optarg);
				s->vp[i] += optarg[i] - '0';
			}
			break;
		case 'p': {
			char *end;
			long p = strtol(optarg, &end, 10);
			if (*end || p < 1 || p > 5)
				fatal("invalid pass number '%s' (expected 1-5)", optarg);
			s->last_pass = p;
			break;
		}
		case 'I':
			vec_push(&s->include_dirs, optarg);
			break;
		case 'e':
			if (s->script_text)
				fatal("only one script can be given with -e (use -E for more)");
			s->script_text = optarg;
			break;
		case 'E':
			vec_push(&s->extra_scripts, optarg);
			break;
		case 'D':
			vec_push(&s->defines, optarg);
			break;
		case 'g':
			s->guru = true;
			break;
		case 'u':
			s->unoptimized = true;
			break;
		case 'w':
			s->suppress_warnings = true;
			break;
		case 'W':
			s->warnings_fatal = true;
			break;
		case 'r':
			set_target(s, optarg);
			break;
		case 'a':
			s->arch = optarg;
			break;
		case LONG_COMPATIBLE:
			s->compatible = optarg;
			break;
		case 'k':
			s->keep_tmpdir = true;
			break;
		case 'm': {
			// module names: [A-Za-z0-9_], at most 55 characters
			size_t n = strlen(optarg);
			if (!n || n > 55 || strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
				fatal("invalid module name '%s': use letters, digits and '_' (at most 55)", optarg);
			s->module_name = optarg;
			break;
		}
		case 'o':
			s->output_file = optarg;
			break;
		case 'c':
			s->target_cmd = optarg;
			break;
		case 'x':
			s->target_pid = optarg;
			break;
		case 's': {
			char *end;
			long mb = strtol(optarg, &end, 10);
			if (*end || mb < 1 || mb > 4095)
				fatal("invalid buffer size '%s' (MB, 1-4095)", optarg);
			s->buffer_mb = mb;
			break;
		}
		case 'T': {
			// like SystemTap: a timer probe that ends the session
			char *end;
			double secs = strtod(optarg, &end);
			if (*end || secs <= 0)
				fatal("invalid -T time '%s' (seconds)", optarg);
			vec_push(&s->extra_scripts,
				 arena_printf("probe timer.ms(%lld) { exit() }", (long long)(secs * 1000)));
			break;
		}
		case 'G':
			if (!strchr(optarg, '='))
				fatal("-G wants VAR=VALUE, got '%s'", optarg);
			vec_push(&s->globals_set, optarg);
			break;
		case LONG_DISABLE_CACHE:
			s->disable_cache = true;
			break;
		case LONG_CLEAN_CACHE:
			s->clean_cache = true;
			break;
		case LONG_POISON_CACHE:
			s->poison_cache = true;
			break;
		case LONG_DUMP + DUMP_PROBE_TYPES:
		case LONG_DUMP + DUMP_PROBE_ALIASES:
		case LONG_DUMP + DUMP_FUNCTIONS:
			s->dump_kind = c - LONG_DUMP;
			break;
		case 'l':
		case 'L':
			s->list_pattern = optarg;
			s->list_vars = c == 'L';
			break;
		case LONG_UNSUPPORTED:
			unsupported(argv[optind - 1]);
		case '?':
			if (optopt)
				fprintf(stderr, "stap: invalid option or missing argument: '-%c'\n", optopt);
			else
				fprintf(stderr, "stap: invalid option '%s'\n", argv[optind - 1]);
			fprintf(stderr, "Try 'stap --help' for more information.\n");
			exit(1);
		default: {
			char opt[3] = {'-', (char)c, 0};
			unsupported(opt);
		}
		}
	}
	int i = optind;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (!s->script_text && !s->list_pattern && !s->dump_kind && !s->clean_cache) {
		if (i >= argc) {
			fprintf(stderr, "stap: a script is needed: a file, '-' for stdin, or -e SCRIPT\n");
			fprintf(stderr, "Try 'stap --help' for more information.\n");
			exit(1);
		}
		s->script_file = argv[i++];
	}
	for (; i < argc; i++)
		vec_push(&s->args, argv[i]);

	if (!s->release) {
		struct utsname u;
		uname(&u);
		set_target(s, arena_strdup(u.release));
	}
	if (!s->arch) {
		struct utsname u;
		uname(&u);
		s->arch = arena_strdup(u.machine);
	}
	diag_suppress_warnings = s->suppress_warnings;
	diag_warnings_fatal = s->warnings_fatal;
}
