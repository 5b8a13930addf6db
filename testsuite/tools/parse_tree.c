// parse_tree: parse files as tapset library files (guru mode), the way
// stap parses its library, and report what failed.  Used by the
// conformance test (every file of Debian's tapset tree) and the pass-1
// benchmark (in-process time, no start-up noise).
//
//   parse_tree [-r RELEASE] [-a ARCH] [-q] [-t] FILE...
//
// .stpm files are read first (their macros are visible to every file).
// Prints "parsed N files (M macro files), E with errors" and, with -t, the
// time spent; exits 1 if any file had errors.
#include "stap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool is_stpm(const char *p)
{
	size_t l = strlen(p);
	return l > 5 && !strcmp(p + l - 5, ".stpm");
}

int main(int argc, char **argv)
{
	Session *s = session = NEW(Session);
	s->release = "6.1.0-56-amd64";
	s->arch = "x86_64";
	s->guru = true;
	bool quiet = false, timing = false;
	int c;
	while ((c = getopt(argc, argv, "r:a:qt")) != -1) {
		switch (c) {
		case 'r': s->release = optarg; break;
		case 'a': s->arch = optarg; break;
		case 'q': quiet = true; break;
		case 't': timing = true; break;
		default:
			fprintf(stderr, "usage: parse_tree [-r REL] [-a ARCH] [-q] [-t] FILE...\n");
			return 2;
		}
	}
	s->build_dir = arena_printf("/lib/modules/%s/build", s->release);
	session_setup(s);
	if (quiet)
		diag_suppress_warnings = true;

	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	int files = 0, macro_files = 0, bad = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = optind; i < argc; i++) {
			if (is_stpm(argv[i]) != (pass == 0))
				continue;
			files++;
			macro_files += pass == 0;
			if (library_parse_file(s, argv[i])) {
				bad++;
				if (!quiet)
					fprintf(stderr, "FAILED: %s\n", argv[i]);
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	printf("parsed %d files (%d macro files), %d with errors\n", files, macro_files, bad);
	if (timing)
		printf("time: %.1f ms wall, %.1f ms cpu\n",
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
		       (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6);
	return bad ? 1 : 0;
}
