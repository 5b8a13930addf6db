/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/socket_tables.h - names of socket families, protocols, states,
 * types and flags for the sock_*_num2str/str2num and msg_flags_num2str
 * functions.  The names and the numbers that have one are those of
 * SystemTap 4.8 (learned from its output): families up to AF_RXRPC,
 * the IANA protocol names 0..137, and "UNDEF" for any other number.
 */
#ifndef STP_TAPSET_SOCKET_TABLES_H
#define STP_TAPSET_SOCKET_TABLES_H

#include <linux/socket.h>
#include <linux/net.h>
#include "tapset/flags.h"

/* AF_* numbers (literal: a newer kernel may drop a retired family's macro) */
static const char *const stp_sock_fam_names[] = {
	[0] = "UNSPEC", [1] = "LOCAL", [2] = "INET", [3] = "AX25", [4] = "IPX",
	[5] = "APPLETALK", [6] = "NETROM", [7] = "BRIDGE", [8] = "ATMPVC",
	[9] = "X25", [10] = "INET6", [11] = "ROSE", [12] = "DECNET",
	[13] = "NETBEUI", [14] = "SECURITY", [15] = "KEY", [16] = "NETLINK",
	[17] = "PACKET", [18] = "ASH", [19] = "ECONET", [20] = "ATMSVC",
	[22] = "SNA", [23] = "IRDA", [24] = "PPPOX", [25] = "WANPIPE", [26] = "LLC",
	[30] = "TIPC", [31] = "BLUETOOTH", [32] = "IUCV", [33] = "RXRPC",
};

/* IP protocol numbers, with the names of the IANA registry. */
static const char *const stp_sock_prot_names[] = {
	[0] = "IP", [1] = "ICMP", [2] = "IGMP", [3] = "GGP", [4] = "IPENCAP",
	[5] = "ST", [6] = "TCP", [7] = "CBT", [8] = "EGP", [9] = "IGP",
	[10] = "BBN-RCC", [11] = "NVP", [12] = "PUP", [13] = "ARGUS", [14] = "EMCON",
	[15] = "XNET", [16] = "CHAOS", [17] = "UDP", [18] = "MUX", [19] = "DCN",
	[20] = "HMP", [21] = "PRM", [22] = "XNS-IDP", [23] = "TRUNK-1",
	[24] = "TRUNK-2", [25] = "LEAF-1", [26] = "LEAF-2", [27] = "RDP",
	[28] = "IRTP", [29] = "ISO-TP4", [30] = "NETBLT", [31] = "MFE-NSP",
	[32] = "MERIT-INP", [33] = "SEP", [34] = "3PC", [35] = "IDPR", [36] = "XTP",
	[37] = "DDP", [38] = "IDPR-CMTP", [39] = "TP++", [40] = "IL", [41] = "IPV6",
	[42] = "SDRP", [43] = "IPV6-ROUTE", [44] = "IPV6-FRAG", [45] = "IDRP",
	[46] = "RSVP", [47] = "GRE", [48] = "MHRP", [49] = "BNA",
	[50] = "IPV6-CRYPT", [51] = "IPV6-AUTH", [52] = "I-NLSP", [53] = "SWIPE",
	[54] = "NARP", [55] = "MOBILE", [56] = "TLSP", [57] = "SKIP",
	[58] = "IPV6-ICMP", [59] = "IPV6-NONXT", [60] = "IPV6-OPTS", [62] = "CFTP",
	[64] = "SAT-EXPAK", [65] = "KRYPTOLAN", [66] = "RVD", [67] = "IPPC",
	[69] = "SAT-MON", [70] = "VISA", [71] = "IPCV", [72] = "CPNX", [73] = "CPHB",
	[74] = "WSN", [75] = "PVP", [76] = "BR-SAT-MON", [77] = "SUN-ND",
	[78] = "WB-MON", [79] = "WB-EXPAK", [80] = "ISO-IP", [81] = "VMTP",
	[82] = "SECURE-VMTP", [83] = "VINES", [84] = "TTP", [85] = "NSFNET-IGP",
	[86] = "DGP", [87] = "TCF", [88] = "EIGRP", [89] = "OSPF",
	[90] = "SPRITE-RPC", [91] = "LARP", [92] = "MTP", [93] = "AX.25",
	[94] = "IPIP", [95] = "MICP", [96] = "SCC-SP", [97] = "ETHERIP",
	[98] = "ENCAP", [100] = "GMTP", [101] = "IFMP", [102] = "PNNI", [103] = "PIM",
	[104] = "ARIS", [105] = "SCPS", [106] = "QNX", [107] = "A/N",
	[108] = "IPCOMP", [109] = "SNP", [110] = "COMPAQ-PEER", [111] = "IPX-IN-IP",
	[112] = "VRRP", [113] = "PGM", [115] = "L2TP", [116] = "DDX", [117] = "IATP",
	[118] = "STP", [119] = "SRP", [120] = "UTI", [121] = "SMP", [122] = "SM",
	[123] = "PTP", [124] = "ISIS", [125] = "FIRE", [126] = "CRTP",
	[127] = "CRDUP", [128] = "SSCOPMCE", [129] = "IPLT", [130] = "SPS",
	[131] = "PIPE", [132] = "SCTP", [133] = "FC", [134] = "RSVP-E2E-IGNORE",
	[135] = "Mobility-Header", [136] = "UDPLite", [137] = "MPLS-IN-IP",
};

static const char *const stp_sock_state_names[] = {
	[SS_FREE] = "FREE", [SS_UNCONNECTED] = "UNCONNECTED",
	[SS_CONNECTING] = "CONNECTING", [SS_CONNECTED] = "CONNECTED",
	[SS_DISCONNECTING] = "DISCONNECTING",
};

static const char *const stp_sock_type_names[] = {
	[SOCK_STREAM] = "STREAM", [SOCK_DGRAM] = "DGRAM", [SOCK_RAW] = "RAW",
	[SOCK_RDM] = "RDM", [SOCK_SEQPACKET] = "SEQPACKET", [SOCK_DCCP] = "DCCP",
	[SOCK_PACKET] = "PACKET",
};

/* A name table: index = number, NULL = no name. */
struct stp_sock_table {
	const char *const *names;
	size_t n;
};

#define STP_SOCK_TABLE(a) ((struct stp_sock_table){ (a), ARRAY_SIZE(a) })

/* The name of num, or "UNDEF". */
static __maybe_unused const char *stp_sock_num2str(struct stp_sock_table t, s64 num)
{
	if (num >= 0 && (u64)num < t.n && t.names[num])
		return t.names[num];
	return "UNDEF";
}

/* The number named name (exactly, case and all), or -1. */
static __maybe_unused s64 stp_sock_str2num(struct stp_sock_table t, const char *name)
{
	size_t i;

	for (i = 0; i < t.n; i++)
		if (t.names[i] && !strcmp(t.names[i], name))
			return i;
	return -1;
}

/* socket.flags: the SOCKWQ_* / SOCK_* bit numbers 0..4 as masks */
static const struct stp_flag_name stp_sock_flag_names[] = {
	{ 1 << 0, "ASYNC_NOSPACE" }, { 1 << 1, "ASYNC_WAITDATA" },
	{ 1 << 2, "NOSPACE" }, { 1 << 3, "PASSCRED" }, { 1 << 4, "PASSSEC" },
};

static const struct stp_flag_name stp_msg_flag_names[] = {
	{ MSG_OOB, "OOB" }, { MSG_PEEK, "PEEK" }, { MSG_DONTROUTE, "DONTROUTE" },
	{ MSG_TRYHARD, "TRYHARD" }, { MSG_CTRUNC, "CTRUNC" }, { MSG_PROBE, "PROBE" },
	{ MSG_TRUNC, "TRUNC" }, { MSG_DONTWAIT, "DONTWAIT" }, { MSG_EOR, "EOR" },
	{ MSG_WAITALL, "WAITALL" }, { MSG_FIN, "FIN" }, { MSG_SYN, "SYN" },
	{ MSG_CONFIRM, "CONFIRM" }, { MSG_RST, "RST" }, { MSG_ERRQUEUE, "ERRQUEUE" },
	{ MSG_NOSIGNAL, "NOSIGNAL" }, { MSG_MORE, "MORE" },
};

#endif /* STP_TAPSET_SOCKET_TABLES_H */
