// kinfo_ksyms.c: the kernel's own symbol table, decoded from its image.
//
// With CONFIG_KALLSYMS the kernel carries every symbol name and address in
// .rodata (scripts/kallsyms.c writes them), compressed with a token table.  The
// stripped vmlinux inside /boot/vmlinuz has no ELF symbols, but these arrays
// are there, so we can rebuild a System.map without the -dbg package: all text
// symbols with addresses, the section markers (__noinstr_text_start...) and,
// with CONFIG_KALLSYMS_ALL (Debian), the `_kbl_addr_*` NOKPROBE_SYMBOL entries.
//
// The arrays have no symbols of their own, so they are found by shape:
//   kallsyms_token_table  256 NUL-terminated strings; the tokens of the
//                         characters '0'..'9' are those characters, so the
//                         bytes "0\0" "1\0" ... "9\0" appear in it;
//   kallsyms_token_index  right after (8-aligned): 256 increasing u16 offsets
//                         into the table, consistent with its strings;
//   kallsyms_markers      u32 offsets into kallsyms_names of every 256th
//                         symbol: a run starting at 0, growing by >= 512;
//   kallsyms_num_syms     u32 before kallsyms_names, agreeing with the markers;
//   kallsyms_names        per symbol: a length (one byte, or two if the first
//                         has bit 7 set) and that many token numbers; the first
//                         decoded character is the nm type letter;
//   kallsyms_offsets      s32 per symbol, and kallsyms_relative_base (u64),
//                         just before num_syms (Linux <= 6.3) or after
//                         token_index (later).
// Each guess is checked against the next array, and addresses must come out
// sorted, so a wrong guess fails instead of producing garbage.  Layouts without
// CONFIG_KALLSYMS_BASE_RELATIVE (old 64-bit kernels) are not decoded.
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <gelf.h>
#include "kinfo-int.h"

struct ksyms {
	const unsigned char *b;	// section bytes
	size_t n;
	uint64_t vaddr;		// section address (for alignment)
	size_t table, index;	// token table / index offsets
	size_t names, nsyms;	// names offset and symbol count
	size_t numsyms_off;	// where kallsyms_num_syms is
	size_t markers, nmarkers;
};

static uint32_t rd32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static size_t align8(const struct ksyms *k, size_t off)
{
	return off + ((8 - ((k->vaddr + off) & 7)) & 7);
}

// The token index at `idx`, if it describes a table containing "0".."9" at `p`.
static int check_index(struct ksyms *k, size_t p, size_t idx)
{
	const unsigned char *b = k->b;
	unsigned v[256];

	if (idx + 512 > k->n)
		return 0;
	for (int i = 0; i < 256; i++)
		v[i] = b[idx + 2 * i] | b[idx + 2 * i + 1] << 8;
	if (v[0] != 0 || v['0'] > p || v['1'] != v['0'] + 2)
		return 0;
	size_t t = p - v['0'];
	for (int i = 0; i < 255; i++)
		if (v[i + 1] <= v[i] || t + v[i + 1] > idx || b[t + v[i + 1] - 1] != 0)
			return 0;
	size_t end = t + v[255];
	while (end < idx && b[end])
		end++;
	if (end >= idx || idx - (end + 1) >= 8)
		return 0;
	k->table = t;
	k->index = idx;
	return 1;
}

static int find_tokens(struct ksyms *k)
{
	static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
	const unsigned char *b = k->b, *hit;
	size_t from = 0;

	while (from < k->n &&
	       (hit = memmem(b + from, k->n - from, digits, sizeof(digits))) != NULL) {
		size_t p = (size_t)(hit - b);

		for (size_t idx = align8(k, p); idx < p + 65536 && idx + 512 <= k->n; idx += 8)
			if (check_index(k, p, idx))
				return 1;
		from = p + 1;
	}
	return 0;
}

// Length of the names entry at off: 1 or 2 header bytes + token count.
static size_t entry_len(const unsigned char *b, size_t off, size_t *hdr)
{
	size_t len = b[off];

	*hdr = 1;
	if (len & 0x80) {
		len = (len & 0x7f) | (size_t)b[off + 1] << 7;
		*hdr = 2;
	}
	return len;
}

// Do `nsyms` names entries starting at `names` match the markers at `m`?
static int check_names(const struct ksyms *k, size_t names, size_t nsyms, size_t m)
{
	size_t off = names;

	for (size_t i = 0; i < nsyms; i++) {
		size_t hdr;

		if (off + 2 > m)
			return 0;
		if (i % 256 == 0 && rd32(k->b + m + 4 * (i / 256)) != off - names)
			return 0;
		size_t len = entry_len(k->b, off, &hdr);
		off += hdr + len;
	}
	return off <= m && m - off < 8;
}

// kallsyms_markers: an increasing u32 run from 0; then num_syms before the names.
static int find_names(struct ksyms *k)
{
	const unsigned char *b = k->b;

	for (size_t m = align8(k, 0); m + 16 <= k->table; m += 4) {
		if (rd32(b + m) != 0 || rd32(b + m + 4) < 512)
			continue;
		size_t cnt = 1;
		while (m + 4 * (cnt + 1) <= k->table) {
			uint32_t d = rd32(b + m + 4 * cnt) - rd32(b + m + 4 * (cnt - 1));
			if (rd32(b + m + 4 * cnt) <= rd32(b + m + 4 * (cnt - 1)) || d < 512 ||
			    d > 65536)
				break;
			cnt++;
		}
		if (cnt < 4)
			continue;
		// The names start at s <= m - last (the last 1..256 entries follow
		// it), right after num_syms N with (N + 255) / 256 == cnt.
		uint32_t last = rd32(b + m + 4 * (cnt - 1));
		size_t hi = m - last, lo = hi > 65536 ? hi - 65536 : 8;
		for (size_t s = hi; s >= lo && s >= 8; s--) {
			if (((k->vaddr + s) & 3) != 0)
				continue;
			for (size_t ns = s - 8; ns <= s - 4; ns += 4) {
				uint32_t n = rd32(b + ns);

				if (n == 0 || (n + 255) / 256 != cnt || !check_names(k, s, n, m))
					continue;
				k->numsyms_off = ns;
				k->names = s;
				k->nsyms = n;
				k->markers = m;
				k->nmarkers = cnt;
				return 1;
			}
		}
		m += 4 * (cnt - 1);
	}
	return 0;
}

// Expands entry i's tokens into buf; returns the length.
static size_t expand(const struct ksyms *k, size_t *off, char *buf, size_t cap)
{
	size_t hdr, len = entry_len(k->b, *off, &hdr), out = 0;
	const unsigned char *t = k->b + *off + hdr;

	for (size_t i = 0; i < len; i++) {
		size_t ti = k->b[k->index + 2 * t[i]] | k->b[k->index + 2 * t[i] + 1] << 8;
		for (const unsigned char *s = k->b + k->table + ti; *s && out + 1 < cap; s++)
			buf[out++] = (char)*s;
	}
	buf[out] = '\0';
	*off += hdr + len;
	return out;
}

struct addr_ctx {
	const unsigned char *offs;
	uint64_t base;
	int absolute_percpu;
};

static uint64_t sym_addr(const struct addr_ctx *a, size_t i)
{
	int32_t o = (int32_t)rd32(a->offs + 4 * i);

	if (!a->absolute_percpu)
		return a->base + (uint32_t)o;
	return o >= 0 ? (uint64_t)o : a->base - 1 - (int64_t)o;
}

// Offsets/relative_base candidates are accepted when the text addresses come
// out non-decreasing and inside the kernel's half of the address space.
static int check_addrs(const struct ksyms *k, const struct addr_ctx *a)
{
	uint64_t prev = 0;
	size_t bad = 0, checked = 0;
	size_t off = k->names;
	char buf[1024];

	if (a->base >> 63 == 0)
		return 0;
	for (size_t i = 0; i < k->nsyms; i++) {
		expand(k, &off, buf, sizeof(buf));
		if (buf[0] != 't' && buf[0] != 'T')
			continue;
		uint64_t v = sym_addr(a, i);
		checked++;
		bad += v < prev || v >> 63 == 0;
		prev = v;
	}
	return checked > 0 && bad * 100 < checked;
}

static int find_offsets(const struct ksyms *k, struct addr_ctx *a)
{
	size_t need = 4 * k->nsyms;

	// <= 6.3: offsets (s32 each), relative_base (u64, 8-aligned), num_syms.
	for (size_t rb = k->numsyms_off - 8; rb + 8 > k->numsyms_off - 8 && rb >= need; rb -= 4) {
		if (((k->vaddr + rb) & 7) != 0)
			continue;
		a->base = rd64(k->b + rb);
		for (size_t pad = 0; pad <= 4 && rb >= need + pad; pad += 4) {
			a->offs = k->b + rb - need - pad;
			if (check_addrs(k, a))
				return 1;
		}
	}
	// later kernels: token_index, offsets, relative_base.
	size_t o = align8(k, k->index + 512);
	size_t rb = align8(k, o + need);
	if (rb + 8 <= k->n) {
		a->offs = k->b + o;
		a->base = rd64(k->b + rb);
		if (check_addrs(k, a))
			return 1;
	}
	return 0;
}

static int decode(struct ksyms *k, int absolute_percpu, char **out, size_t *out_len)
{
	struct addr_ctx a = { .absolute_percpu = absolute_percpu };
	size_t cap = k->nsyms * 48 + 4096, len = 0, off = k->names;
	char *text, name[1024];

	if (!find_offsets(k, &a))
		return -1;
	text = malloc(cap);
	if (!text)
		return -1;
	for (size_t i = 0; i < k->nsyms; i++) {
		size_t n = expand(k, &off, name, sizeof(name));

		if (n < 2)
			continue;
		// Only what the function list needs: text symbols, NOKPROBE entries.
		if (!strchr("tTwW", name[0]) && strncmp(name + 1, "_kbl_addr_", 10) != 0)
			continue;
		if (len + n + 32 > cap) {
			char *nt = realloc(text, cap * 2);
			if (!nt) {
				free(text);
				return -1;
			}
			text = nt;
			cap *= 2;
		}
		len += (size_t)snprintf(text + len, cap - len, "%016llx %c %s\n",
					(unsigned long long)sym_addr(&a, i), name[0], name + 1);
	}
	*out = text;
	*out_len = len;
	return 0;
}

int kinfo__image_kallsyms(Elf *e, int absolute_percpu, char **text, size_t *len,
			  struct kinfo_err *err)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(e, &shstrndx) != 0) {
		kinfo__err(err, "unreadable ELF section headers");
		return -1;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		struct ksyms k;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & SHF_EXECINSTR) ||
		    sh.sh_size < 65536 || !(d = elf_getdata(scn, NULL)) || !d->d_buf)
			continue;
		memset(&k, 0, sizeof(k));
		k.b = d->d_buf;
		k.n = d->d_size;
		k.vaddr = sh.sh_addr;
		if (find_tokens(&k) && find_names(&k) && decode(&k, absolute_percpu, text, len) == 0)
			return 0;
	}
	kinfo__err(err, "no kallsyms table found in the kernel image (CONFIG_KALLSYMS off, "
		   "or a layout this version cannot decode)");
	return -1;
}
