/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/net.h - sk_buffs, net_devices, sockets and TCP headers for the
 * networking, ip, inet_sock and tcp tapsets.  Every field is read with
 * stp_kget(); the callers turn a fault into SystemTap's read fault error.
 */
#ifndef STP_TAPSET_NET_H
#define STP_TAPSET_NET_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/in6.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include "tapset/kread.h"

/*
 * The address of a header of an skb: head + the header's offset (64-bit
 * kernels keep offsets, NET_SKBUFF_DATA_USES_OFFSET).  0 on a fault, the
 * address in *fault.
 */
static __maybe_unused unsigned long stp_skb_header(struct sk_buff *skb, bool transport,
						   unsigned long *fault)
{
	unsigned char *head;
	u16 off;
	u16 *offp = transport ? &skb->transport_header : &skb->network_header;

	if (!stp_kget(head, &skb->head)) {
		*fault = (unsigned long)&skb->head;
		return 0;
	}
	if (!stp_kget(off, offp)) {
		*fault = (unsigned long)offp;
		return 0;
	}
#ifdef NET_SKBUFF_DATA_USES_OFFSET
	return (unsigned long)head + off;
#else
	return (unsigned long)off;
#endif
}

struct stp_sockopt_name {
	int opt;
	const char *name;
};

#define STP_OPT(n)	{ n, #n }

static const struct stp_sockopt_name stp_tcp_sockopts[] = {
	STP_OPT(TCP_NODELAY), STP_OPT(TCP_MAXSEG), STP_OPT(TCP_CORK),
	STP_OPT(TCP_KEEPIDLE), STP_OPT(TCP_KEEPINTVL), STP_OPT(TCP_KEEPCNT),
	STP_OPT(TCP_SYNCNT), STP_OPT(TCP_LINGER2), STP_OPT(TCP_DEFER_ACCEPT),
	STP_OPT(TCP_WINDOW_CLAMP), STP_OPT(TCP_INFO), STP_OPT(TCP_QUICKACK),
	STP_OPT(TCP_CONGESTION), STP_OPT(TCP_MD5SIG),
	STP_OPT(TCP_THIN_LINEAR_TIMEOUTS), STP_OPT(TCP_THIN_DUPACK),
	STP_OPT(TCP_USER_TIMEOUT),
};

static const struct stp_sockopt_name stp_ipv6_sockopts[] = {
	STP_OPT(IPV6_ADDRFORM), STP_OPT(IPV6_2292PKTINFO), STP_OPT(IPV6_2292HOPOPTS),
	STP_OPT(IPV6_2292DSTOPTS), STP_OPT(IPV6_2292RTHDR), STP_OPT(IPV6_2292PKTOPTIONS),
	STP_OPT(IPV6_CHECKSUM), STP_OPT(IPV6_2292HOPLIMIT), STP_OPT(IPV6_NEXTHOP),
	STP_OPT(IPV6_AUTHHDR), STP_OPT(IPV6_FLOWINFO), STP_OPT(IPV6_UNICAST_HOPS),
	STP_OPT(IPV6_MULTICAST_IF), STP_OPT(IPV6_MULTICAST_HOPS),
	STP_OPT(IPV6_MULTICAST_LOOP), STP_OPT(IPV6_ADD_MEMBERSHIP),
	STP_OPT(IPV6_DROP_MEMBERSHIP), STP_OPT(IPV6_ROUTER_ALERT),
	STP_OPT(IPV6_MTU_DISCOVER), STP_OPT(IPV6_MTU), STP_OPT(IPV6_RECVERR),
	STP_OPT(IPV6_V6ONLY), STP_OPT(IPV6_JOIN_ANYCAST), STP_OPT(IPV6_LEAVE_ANYCAST),
	STP_OPT(IPV6_FLOWLABEL_MGR), STP_OPT(IPV6_FLOWINFO_SEND),
	STP_OPT(IPV6_IPSEC_POLICY), STP_OPT(IPV6_XFRM_POLICY),
	STP_OPT(MCAST_JOIN_GROUP), STP_OPT(MCAST_BLOCK_SOURCE),
	STP_OPT(MCAST_UNBLOCK_SOURCE), STP_OPT(MCAST_LEAVE_GROUP),
	STP_OPT(MCAST_JOIN_SOURCE_GROUP), STP_OPT(MCAST_LEAVE_SOURCE_GROUP),
	STP_OPT(MCAST_MSFILTER), STP_OPT(IPV6_RECVPKTINFO), STP_OPT(IPV6_PKTINFO),
	STP_OPT(IPV6_RECVHOPLIMIT), STP_OPT(IPV6_HOPLIMIT), STP_OPT(IPV6_RECVHOPOPTS),
	STP_OPT(IPV6_HOPOPTS), STP_OPT(IPV6_RTHDRDSTOPTS), STP_OPT(IPV6_RECVRTHDR),
	STP_OPT(IPV6_RTHDR), STP_OPT(IPV6_RECVDSTOPTS), STP_OPT(IPV6_DSTOPTS),
	STP_OPT(IPV6_RECVPATHMTU), STP_OPT(IPV6_PATHMTU), STP_OPT(IPV6_DONTFRAG),
	STP_OPT(IPV6_RECVTCLASS), STP_OPT(IPV6_TCLASS), STP_OPT(IPV6_ADDR_PREFERENCES),
	STP_OPT(IPV6_MINHOPCOUNT), STP_OPT(IPV6_RECVORIGDSTADDR), STP_OPT(IPV6_TRANSPARENT),
};

#undef STP_OPT

/* The name of a socket option, or "UNDEF_SOCKOPT(N)". */
static __maybe_unused void stp_sockopt_str(char *dst, const struct stp_sockopt_name *t,
					   size_t n, s64 opt)
{
	while (n--) {
		if (t[n].opt == opt) {
			strscpy(dst, t[n].name, MAXSTRINGLEN);
			return;
		}
	}
	snprintf(dst, MAXSTRINGLEN, "UNDEF_SOCKOPT(%lld)", (long long)opt);
}

#endif /* STP_TAPSET_NET_H */
