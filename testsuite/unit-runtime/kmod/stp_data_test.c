// SPDX-License-Identifier: GPL-2.0
/*
 * stp_data_test.c - builds runtime/{map,stat,format,str} the way a generated
 * module includes them, and uses each entry point once, so Kbuild checks
 * them as kernel code (warnings, frame sizes).  Never loaded.
 */
#include <linux/module.h>
#include "map.h"
#include "stat.h"
#include "format.h"
#include "str.h"
#include "regex.h"

static struct stp_map g_arr;
static struct stp_pmap g_parr;
static struct stp_stat g_stat;
static char g_str[MAXSTRINGLEN], g_tmp[MAXSTRINGLEN];
static struct stp_tok_state g_tok;
static struct stp_re g_re;
static char g_rework[4096];
static struct stp_re_match g_m;

static int stp_data_exercise(void)
{
	static const struct stp_map_desc d = {
		.nkeys = 2, .ktype = { STP_T_LONG, STP_T_STR }, .vtype = STP_T_LONG,
	};
	struct stp_map_desc pd = { .nkeys = 1, .ktype = { STP_T_LONG }, .vtype = STP_T_STAT,
				   .stat_ops = STP_STAT_VARIANCE };
	union stp_key k[2] = { { .n = 1 }, { .s = "x" } };
	struct stp_map_sort s = { .key = 0, .dir = -1 };
	struct stp_fmt_spec sp = { STP_FMT_D, STP_FMT_ZERO, 8, STP_FMT_NONE };
	struct stp_fmt_arg args[2] = { { .n = 42 }, { .s = "str" } };
	struct stp_map_iter it;
	struct stp_out o;
	struct stp_hist h;
	const char *err;
	s64 v = 0, sum;
	int rc;

	stp_hist_log(&pd.hist);
	rc = stp_map_init(&g_arr, &d);
	if (!rc)
		rc = stp_pmap_init(&g_parr, &pd);
	if (!rc)
		rc = stp_hist_linear(&h, 0, 100, 10, &err) ? -EINVAL : 0;
	if (!rc)
		rc = stp_stat_init(&g_stat, &h, STP_STAT_VARIANCE, 0);
	if (rc)
		return rc;

	stp_map_set_long(&g_arr, k, 5);
	stp_map_add_long(&g_arr, k, 1, &sum);
	stp_map_sort(&g_arr, &s, 0);
	stp_map_sort(&g_arr, &s, 3);
	stp_map_iter_start(&g_arr, &it, 0, NULL, 0);
	while (stp_map_iter_next(&g_arr, &it))
		v += *stp_map_val_long(&g_arr, it.e) + stp_map_key_long(&g_arr, it.e, 0);
	stp_map_delete_slice(&g_arr, k, 0x1);
	stp_pmap_add(&g_parr, k, 3);
	stp_pmap_get(&g_parr, k);
	stp_pmap_agg(&g_parr);
	stp_stat_add(&g_stat, 7);
	stp_sd_get(stp_stat_get(&g_stat), STP_STAT_VAR, 0, &v, &err);

	stp_out_init(&o, g_str, MAXSTRINGLEN - 1);
	stp_fmt_long(&o, &sp, v);
	stp_fmt_vformat(&o, "%s %d %5.2M", args, 2, g_tmp);
	stp_hist_print(&o, g_stat.agg, &g_stat.hist, &err);
	stp_out_cstr(&o);
	stp_str_text(g_tmp, g_str, 0, true);
	stp_str_tokenize(g_tmp, &g_tok, g_str, " ");
	stp_str_kernel_quoted(g_tmp, (unsigned long)g_str, g_str);
	if (!stp_re_compile(&g_re, "^([a-z]+)=(.*)$", g_tmp) &&
	    stp_re_worksize(&g_re) <= sizeof(g_rework) &&
	    stp_re_match(&g_re, g_str, &g_m, g_rework))
		stp_re_matched(g_tmp, g_str, &g_m, 1);
	return (int)stp_str_strtol(g_tmp, 0) & 0;
}

static void stp_data_free(void)
{
	stp_map_free(&g_arr);
	stp_pmap_free(&g_parr);
	stp_stat_free(&g_stat);
}

static int __init stp_data_test_init(void)
{
	int rc = stp_data_exercise();

	stp_data_free();
	return rc;
}

static void __exit stp_data_test_exit(void)
{
}

module_init(stp_data_test_init);
module_exit(stp_data_test_exit);
MODULE_LICENSE("GPL");
