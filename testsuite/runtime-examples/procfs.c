/*
 * global v = "init\n"
 * probe procfs("foo").read { $value = v }
 * probe procfs("foo").write { v = $value }
 * probe procfs("ro").umask(0002).maxsize(16).read { $value = "0123456789"; $value .= "abcdefghij" }
 * probe begin { println("ready") }
 * probe end { print("end v=", v) }
 */
#define STP_MODULE_NAME "procfs"
#include "runtime.h"

static char g_v[MAXSTRINGLEN] = "init\n";

static struct stp_global stp_globals[] = {
	STP_GLOBAL("v"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* foo read */
{
	if (stp_action(c, 1, "identifier '$value' at <input>:2:28"))
		return;
	stp_procfs_set_value(c, g_v);
}

static void stp_probe_1(struct context *c)	/* foo write */
{
	if (stp_action(c, 1, "identifier 'v' at <input>:3:29"))
		return;
	strscpy(g_v, stp_procfs_value(c), MAXSTRINGLEN);
}

static void stp_probe_2(struct context *c)	/* ro read */
{
	if (stp_action(c, 1, "identifier '$value' at <input>:4:51"))
		return;
	stp_procfs_set_value(c, "0123456789");
	if (stp_action(c, 1, "identifier '$value' at <input>:4:73"))
		return;
	stp_procfs_append_value(c, "abcdefghij");
}

static void stp_probe_3(struct context *c)	/* begin */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:5:15"))
		return;
	stp_print_str(c, "ready\n");
}

static void stp_probe_4(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'print' at <input>:6:13"))
		return;
	stp_print_str(c, "end v=");
	stp_print_str(c, g_v);
}

static const struct stp_lock_req stp_locks_read[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_READ },
};
static const struct stp_lock_req stp_locks_write[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "procfs(\"foo\").read",
	  .location = "<input>:2:7",
	  .locks = stp_locks_read, .nlocks = ARRAY_SIZE(stp_locks_read) },
	{ .handler = stp_probe_1, .pp = "procfs(\"foo\").write",
	  .location = "<input>:3:7",
	  .locks = stp_locks_write, .nlocks = ARRAY_SIZE(stp_locks_write) },
	{ .handler = stp_probe_2,
	  .pp = "procfs(\"ro\").umask(0002).maxsize(16).read",
	  .location = "<input>:4:7" },
	{ .handler = stp_probe_3, .pp = "begin", .location = "<input>:5:7" },
	{ .handler = stp_probe_4, .pp = "end", .location = "<input>:6:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[3], .type = STP_BEGIN },
	{ .probe = &stp_probes[4], .type = STP_END },
};

static struct stp_procfs_probe stp_procfs[] = {
	{ .name = "foo", .read = &stp_probes[0], .write = &stp_probes[1],
	  .umask = -1 },
	{ .name = "ro", .read = &stp_probes[2], .maxsize = 16, .umask = 0002 },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.globals = stp_globals,
	.nglobals = ARRAY_SIZE(stp_globals),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.procfs = stp_procfs,
	.nprocfs = ARRAY_SIZE(stp_procfs),
	.families = { [STP_FAM_PROCFS] = &stp_family_procfs, },
};
