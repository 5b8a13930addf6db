// getpid_loop N: N getpid() system calls in a tight loop; prints the
// nanoseconds per call (CLOCK_MONOTONIC; under QEMU -icount shift=0 one
// guest nanosecond is one instruction, so the figure is steady).
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%.1f ns/call (%ld calls)\n", ns / n, n);
	return 0;
}
