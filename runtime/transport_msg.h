/* SPDX-License-Identifier: GPL-2.0 */
/*
 * transport_msg.h - the wire format between the module and stapio.
 * Shared by runtime/ (kernel) and stapio/ (user space): plain fixed-size
 * types only.  Described in runtime/README.md, "Control protocol".
 *
 * Files, in /sys/kernel/debug/systemtap/MODULE/ (or /proc/systemtap/MODULE/
 * when debugfs is missing):
 *   .cmd        control channel: write() one message per call, read() whole
 *               messages; one opener at a time.
 *   .trace<N>   output ring N (N = 0..ncpus-1 per CPU, N = ncpus for the
 *               begin/end/error probes): a byte stream of records.
 *   .nrings     text: the number of .trace files.
 */
#ifndef STP_TRANSPORT_MSG_H
#define STP_TRANSPORT_MSG_H

#include <linux/types.h>

#define STP_PROTOCOL_VERSION 1

/* Every control message starts with this header; len = payload bytes. */
struct stp_msg_hdr {
	__u32 type;
	__u32 len;
};

/* stapio -> module */
enum {
	STP_CMD_START = 1,	/* struct stp_cmd_start: run begin probes, arm */
	STP_CMD_STOP = 2,	/* no payload: unregister, run end probes */
	STP_CMD_RELOC = 3,	/* struct stp_cmd_reloc */
	STP_CMD_TZINFO = 4,	/* struct stp_cmd_tzinfo */
};

struct stp_cmd_start {
	__s32 target;		/* target() pid, 0 = none */
	__u32 version;		/* STP_PROTOCOL_VERSION */
};

struct stp_cmd_reloc {
	char module[64];	/* "kernel" */
	char section[64];	/* "_stext" */
	__u64 address;
};

struct stp_cmd_tzinfo {
	__s64 gmtoff;		/* seconds east of UTC */
	char name[16];		/* "CET" */
};

/* module -> stapio */
enum {
	STP_MSG_TEXT = 1,	/* text for stderr, printed as is ("WARNING: ...\n") */
	STP_MSG_ERROR = 2,	/* same, and the session counts as failed */
	STP_MSG_STARTED = 3,	/* struct stp_msg_started: begin probes ran */
	STP_MSG_REQUEST_EXIT = 4, /* no payload: please send STP_CMD_STOP */
	STP_MSG_EXIT_ACK = 5,	/* struct stp_msg_exit: stopped, nothing more comes */
	STP_MSG_SYSTEM = 6,	/* text: a command for stapio to run with sh -c */
};

struct stp_msg_started {
	__s32 rc;		/* 0, or -errno when arming failed */
	__u32 nrings;		/* number of .trace files */
};

struct stp_msg_exit {
	__u32 errors;		/* runtime errors in the session */
	__u32 skipped;		/* skipped handler runs */
	__u64 seq_end;		/* records 1 .. seq_end - 1 were written */
	__u64 lost_records;	/* records dropped for lack of ring space */
	__u64 lost_bytes;
};

/* Each record in a .trace stream: header then len bytes of output. */
struct stp_rec_hdr {
	__u32 magic;		/* STP_REC_MAGIC */
	__u32 len;
	__u64 seq;		/* global order, from 1, no gaps */
};

#define STP_REC_MAGIC 0x31505453u	/* "STP1" little-endian */

#endif /* STP_TRANSPORT_MSG_H */
