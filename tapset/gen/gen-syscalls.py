#!/usr/bin/env python3
"""gen-syscalls.py: the syscall tapset from one table.

    tapset/gen/gen-syscalls.py [--release REL | --build DIR] [--check]

Reads tapset/gen/syscalls.def (what each SystemTap 4.8 syscall alias sets:
its variables, argstr and retstr, written with a few shorthands),
tapset/gen/decoders.def (the tables of names of flags and values) and the
target kernel's x86-64 system call table from its headers (numbers, entry
points, prototypes), and writes

    tapset/linux/x86_64/syscalls.stp   syscall.NAME[.return] and
                                       nd_syscall.NAME[.return] for every alias
    runtime/tapset/syscall_names.h     number -> name, for syscall_name()
    runtime/tapset/syscall_flags.h     the decoders' tables
    tapset/linux/syscall_flags.stp     the decoders that are only a table

Both are committed: nothing runs at stap time.  --check only compares
them with what would be written (exit status 1 when stale).
See tapset/gen/README.md for the table's format.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEF = os.path.join(HERE, 'syscalls.def')
DECODERS = os.path.join(HERE, 'decoders.def')
OUT_STP = os.path.join(REPO, 'tapset', 'linux', 'x86_64', 'syscalls.stp')
OUT_H = os.path.join(REPO, 'runtime', 'tapset', 'syscall_names.h')
OUT_FLAGS_STP = os.path.join(REPO, 'tapset', 'linux', 'syscall_flags.stp')
OUT_FLAGS_H = os.path.join(REPO, 'runtime', 'tapset', 'syscall_flags.h')

# What each CAST of decoders.def does to the argument (C).
CASTS = {'s32': '(s32)v', 'u32': '(u32)v', 'long': 'v', 'msg': 'v & ~MSG_CMSG_COMPAT'}

# Shorthands of the table and what they become in the tapset.
SHORTHANDS = [
    (r'\bint\((\d)\)', r'__sc_int(\1)'),     # int argument N (sign-extended 32 bits)
    (r'\buint\((\d)\)', r'__sc_uint(\1)'),   # unsigned int argument N
    (r'\bshort\((\d)\)', r'__sc_short(\1)'), # 16-bit argument N (uid16_t...)
    (r'\barg\((\d)\)', r'__sc_arg(\1)'),     # argument N as the register has it
    (r'\bq\((\d)\)', r'__sc_qa(\1)'),        # user string at argument N, quoted
    (r'\bs\((\d)\)', r'__sc_sa(\1)'),        # user string at argument N, "" if unreadable
    (r'\buser_string_quoted\(', '__sc_q('),
    (r'\buser_string_nofault\(', '__sc_s('),
]


def die(msg):
    sys.exit('gen-syscalls: ' + msg)


def read_kernel(build):
    """(number -> entry symbol, uapi name -> number, number -> uapi name,
    symbol -> parameter count) of the kernel's x86-64 table."""
    gen = os.path.join(build, 'arch', 'x86', 'include', 'generated')
    nr2sym = {}
    with open(os.path.join(gen, 'asm', 'syscalls_64.h')) as f:
        for line in f:
            m = re.match(r'__SYSCALL\((\d+),\s*(\w+)\)', line)
            if m:
                nr2sym[int(m.group(1))] = m.group(2)
    name2nr, nr2name = {}, {}
    with open(os.path.join(gen, 'uapi', 'asm', 'unistd_64.h')) as f:
        for line in f:
            m = re.match(r'#define __NR_(\w+)\s+(\d+)', line)
            if m and m.group(1) != 'syscalls':
                name2nr[m.group(1)] = int(m.group(2))
                nr2name[int(m.group(2))] = m.group(1)
    nparams = {}
    for root in (build, os.path.join(build, '..', os.path.basename(build).rsplit('-', 1)[0] + '-common'),
                 os.path.realpath(os.path.join(build, '..', 'source'))):
        path = os.path.join(root, 'include', 'linux', 'syscalls.h')
        if os.path.exists(path):
            text = re.sub(r'\s+', ' ', open(path).read())
            for m in re.finditer(r'asmlinkage long (sys_\w+)\(([^)]*)\);', text):
                args = m.group(2).strip()
                nparams[m.group(1)] = 0 if args in ('', 'void') else args.count(',') + 1
            break
    if not nr2sym or not name2nr:
        die('no syscall table under ' + build)
    return nr2sym, name2nr, nr2name, nparams


class Alias:
    def __init__(self, name, entries, line):
        self.name = name
        self.entries = entries
        self.line = line
        self.body = []        # statements, with 'name' where name is set
        self.ret = None       # None: the default .return body
        self.retfmt = 1


def parse_def(path):
    aliases = []
    cur = None
    pending = ''
    with open(path) as f:
        lines = f.read().split('\n')
    for no, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith('#'):
            continue
        if not raw[0].isspace():
            m = re.match(r'^(\w+):\s*(.*)$', raw)
            if not m:
                die('%s:%d: expected "ALIAS: ENTRIES"' % (path, no))
            cur = Alias(m.group(1), m.group(2).split(), no)
            aliases.append(cur)
            continue
        if cur is None:
            die('%s:%d: statement outside an alias' % (path, no))
        stmt = (pending + ' ' + raw.strip()).strip()
        # a statement goes on while its parentheses are open
        if stmt.count('(') > stmt.count(')'):
            pending = stmt
            continue
        pending = ''
        m = re.match(r'^return:\s*(.*)$', stmt)
        if m:
            if re.fullmatch(r'[123]', m.group(1)):
                cur.retfmt = int(m.group(1))
            else:
                cur.ret = m.group(1)
            continue
        cur.body.append(stmt)
    names = [a.name for a in aliases]
    if len(set(names)) != len(names):
        die('an alias is defined twice')
    return aliases


def expand(stmt, kernel):
    for pat, rep in SHORTHANDS:
        stmt = re.sub(pat, rep, stmt)
    # nr(NAME): the number of system call NAME (aliases of several calls)
    def number(m):
        if m.group(1) not in kernel[1]:
            die('nr(%s): no such system call' % m.group(1))
        return str(kernel[1][m.group(1)])
    return re.sub(r'\bnr\((\w+)\)', number, stmt)


def points(a, kernel, ret):
    """The probe points of alias a (nothing: never)."""
    nr2sym, name2nr, _, nparams = kernel
    suffix = '.return' if ret else ''
    out = []
    for e in a.entries:
        if e == '-':
            continue
        if e.startswith('='):       # every named number the table gives to that symbol
            nrs = sorted(nr for nr, sym in nr2sym.items() if sym == e[1:] and nr in kernel[2])
            out += ['__syscall(%d).name("%s")%s' % (nr, e[1:], suffix) for nr in nrs]
            continue
        tp = e.startswith('@')
        e = e.lstrip('@')
        if e not in name2nr:
            print('gen-syscalls: %s: no system call %s in this kernel' % (a.name, e), file=sys.stderr)
            continue
        nr = name2nr[e]
        if tp:
            out.append('__syscall(%d)%s' % (nr, suffix))
        else:
            out.append('__syscall(%d).name("__x64_%s")%s' % (nr, nr2sym[nr], suffix))
        # the arguments used must exist in the prototype
        n = nparams.get(nr2sym[nr])
        for stmt in a.body:
            for m in re.finditer(r'\b(?:int|uint|short|arg|q|s)\((\d)\)', stmt):
                if n is not None and int(m.group(1)) > n and nr2sym[nr] != 'sys_ni_syscall':
                    print('gen-syscalls: %s: argument %s of %s(%d arguments)'
                          % (a.name, m.group(1), nr2sym[nr], n), file=sys.stderr)
    return out or ['never']


def gen_stp(aliases, kernel, release):
    o = ['// The system call probes: syscall.NAME[.return] and nd_syscall.NAME[.return]',
         '// for every alias of SystemTap 4.8, on the raw_syscalls tracepoints.',
         '// Generated by tapset/gen/gen-syscalls.py from tapset/gen/syscalls.def and',
         '// the x86-64 system call table of %s: do not edit (see tapset/gen/README.md).' % release,
         '']
    for a in sorted(aliases, key=lambda a: a.name):
        body = []
        named = False
        for stmt in a.body:
            if stmt == 'name':
                body.append('name = "%s"' % a.name)
                named = True
            else:
                named |= bool(re.match(r'^name\s*=', stmt))
                body.append(expand(stmt, kernel))
        if not named:
            body.insert(0, 'name = "%s"' % a.name)
        pts = points(a, kernel, False)
        o.append('probe syscall.%s = nd_syscall.%s = %s {' % (a.name, a.name, ', '.join(pts)))
        o += ['\t' + s for s in body]
        o.append('}')
        pts = points(a, kernel, True)
        name = next((s for s in body if re.match(r'^name\s*=\s*"', s)), 'name = "%s"' % a.name)
        if a.ret is not None:
            ret = expand(a.ret, kernel)
        else:
            ret = 'retval = returnval(); retstr = return_str(%d, retval)' % a.retfmt
        o.append('probe syscall.%s.return = nd_syscall.%s.return = %s {' % (a.name, a.name, ', '.join(pts)))
        # a .return body that sets name itself says where
        o.append('\t%s' % ret if re.search(r'\bname\s*=', ret) else '\t%s; %s' % (name, ret))
        o.append('}')
    return '\n'.join(o) + '\n'


def gen_names(kernel, release):
    _, _, nr2name, _ = kernel
    top = max(nr2name) + 1
    o = ['/* SPDX-License-Identifier: GPL-2.0 */',
         '/*',
         ' * tapset/syscall_names.h - x86-64 system call names by number, for',
         ' * syscall_name() and syscall_num().  Generated by tapset/gen/gen-syscalls.py',
         ' * from the headers of %s: do not edit.' % release,
         ' */',
         '#ifndef STP_TAPSET_SYSCALL_NAMES_H',
         '#define STP_TAPSET_SYSCALL_NAMES_H',
         '',
         '#ifdef CONFIG_X86_64',
         'static const char *const stp_syscall_names[%d] = {' % top]
    for nr in sorted(nr2name):
        o.append('\t[%d] = "%s",' % (nr, nr2name[nr]))
    o += ['};', '#else', 'static const char *const stp_syscall_names[1];', '#endif', '',
          '#endif /* STP_TAPSET_SYSCALL_NAMES_H */', '']
    return '\n'.join(o)


def parse_decoders(path):
    out = []
    with open(path) as f:
        for no, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            w = line.split()
            if len(w) < 5 or w[1] not in ('sym', 'bits', 'table') or w[2] not in CASTS:
                die('%s:%d: expected NAME KIND CAST BASE SYMBOL...' % (path, no))
            out.append((w[0], w[1], w[2], int(w[3]), w[4:]))
    return out


def table_name(name):
    return 'stp_sc_tbl_' + name.lstrip('_')


def gen_flags_h(decoders):
    o = ['/* SPDX-License-Identifier: GPL-2.0 */',
         '/*',
         ' * tapset/syscall_flags.h - the names of flags and values the syscall tapset',
         ' * decodes (see stp_sc_sym() and stp_sc_bits() in syscall.h).  Generated by',
         ' * tapset/gen/gen-syscalls.py from tapset/gen/decoders.def: do not edit.',
         ' */',
         '#ifndef STP_TAPSET_SYSCALL_FLAGS_H',
         '#define STP_TAPSET_SYSCALL_FLAGS_H',
         '',
         '#include "tapset/syscall_headers.h"',
         '']
    for name, kind, cast, base, syms in decoders:
        o.append('static const struct stp_sc_sym %s[] __maybe_unused = {' % table_name(name))
        for sym in syms:
            opt = sym.endswith('?')
            sym = sym.rstrip('?')
            label, _, value = sym.partition('=')
            entry = '\t{ (long)(%s), "%s" },' % (value, label) if value else '\tSTP_SYM(%s),' % label
            if opt:
                o += ['#ifdef %s' % (value or label), entry, '#endif']
            else:
                o.append(entry)
        o += ['\tSTP_SYM_END', '};', '']
    o += ['#endif /* STP_TAPSET_SYSCALL_FLAGS_H */', '']
    return '\n'.join(o)


def gen_flags_stp(decoders):
    o = ['// Decoders of flags and values that are only a table of names, for the',
         '// syscall tapset\'s argstr (SystemTap 4.8\'s functions of the same names).',
         '// Generated by tapset/gen/gen-syscalls.py from tapset/gen/decoders.def:',
         '// do not edit.',
         '',
         '%{',
         '#include "tapset/syscall.h"',
         '#include "tapset/syscall_flags.h"',
         '%}',
         '']
    for name, kind, cast, base, syms in decoders:
        if kind == 'table':
            continue
        o.append('function %s:string (v:long) %%{ /* pure */ /* unprivileged */' % name)
        o.append('\ts64 v = STAP_ARG_v;\n\n\tstp_sc_%s(STAP_RETVALUE, %s, %s, %d);'
                 % (kind, table_name(name), CASTS[cast], base))
        o.append('%}')
    return '\n'.join(o) + '\n'


def main():
    ap = argparse.ArgumentParser(description='Generate the syscall tapset.')
    ap.add_argument('--release', default='6.1.0-56-amd64')
    ap.add_argument('--build', help='kernel build directory (default /lib/modules/REL/build)')
    ap.add_argument('--check', action='store_true', help='only say whether the outputs are current')
    args = ap.parse_args()
    build = args.build or '/lib/modules/%s/build' % args.release
    kernel = read_kernel(build)
    aliases = parse_def(DEF)
    decoders = parse_decoders(DECODERS)
    outs = {OUT_STP: gen_stp(aliases, kernel, args.release), OUT_H: gen_names(kernel, args.release),
            OUT_FLAGS_H: gen_flags_h(decoders), OUT_FLAGS_STP: gen_flags_stp(decoders)}
    stale = 0
    for path, text in outs.items():
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        stale += 1
        if args.check:
            print('gen-syscalls: %s is not current' % os.path.relpath(path, REPO))
        else:
            with open(path, 'w') as f:
                f.write(text)
    if not args.check:
        print('gen-syscalls: %d aliases' % len(aliases))
    sys.exit(1 if args.check and stale else 0)


if __name__ == '__main__':
    main()
