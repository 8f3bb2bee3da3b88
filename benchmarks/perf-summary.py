# Summarises `perf script` output of a JVM recorded by benchmarks/perf-profile.sh: where the whole CPU of the process
# went. Sections: the threads; each sample charged to what ran ("self": the library of the innermost Java frame, or
# the kernel, or native code with no Java frame under it); inclusive shares of libraries and of a few known costs; the
# kernel's share by system call and by the Java method that made it; the top methods of Derby, Camel, Jetty and ours.
#   python3 benchmarks/perf-summary.py node.txt [method prefix ...]
# Extra arguments list the top methods under those prefixes too (e.g. org.medsettle.treatment).
import collections
import re
import sys

LIBRARIES = ['org.apache.derby', 'com.fasterxml.jackson', 'org.apache.camel', 'org.eclipse.jetty', 'org.apache.http',
             'org.medsettle', 'io.micrometer', 'org.ops4j', 'org.apache.felix', 'org.apache.commons', 'sun.security.ssl',
             'sun.security', 'com.sun.crypto', 'javax.crypto', 'java.util.zip', 'java.util.concurrent',
             'java.util.regex', 'java.time', 'java.math', 'java.util', 'java.lang', 'java.io', 'java.nio', 'sun.nio',
             'java.net', 'jdk.internal']
INCLUSIVE = [('Derby', 'org.apache.derby'), ('Camel', 'org.apache.camel'), ('Jetty', 'org.eclipse.jetty'),
             ('Jackson', 'com.fasterxml.jackson'), ('Apache HttpClient', 'org.apache.http'),
             ('TLS (sun.security.ssl)', 'sun.security.ssl'), ('medsettle', 'org.medsettle'),
             ('Micrometer', 'io.micrometer'), ('Pax Logging', 'org.ops4j.pax.logging'),
             ('exceptions\' stack traces', 'java_lang_Throwable::fill_in_stack_trace'),
             ('monitor inflation', 'ObjectSynchronizer::'), ('regular expressions', 'java.util.regex'),
             # a stay's own work at a node, against the transport around it (docs/performance.md, session 50)
             ('medsettle: a HIS transaction\'s own work (HisService.handle)', 'HisService.handle()'),
             ('medsettle: the link (its client, its endpoint)', 'org.medsettle.link'),
             ('medsettle: the insured place\'s answers', 'org.medsettle.insured'),
             ('medsettle: the supervision rules', 'org.medsettle.supervision'),
             ('medsettle: the settlement math', 'org.medsettle.engine')]


def method(frame):
    """'addr ret pkg.Class.method(args)+0x1f (dso)' -> 'pkg.Class.method()'; native symbols as they are."""
    text = frame.strip()
    parts = text.split(' ', 1)
    text = parts[1] if len(parts) > 1 else text
    text = re.sub(r'\s*\([^()]*\)$', '', text)
    text = re.sub(r'\+0x[0-9a-f]+$', '', text)
    paren = text.find('(')
    name = text[:paren] if paren >= 0 else text
    return name.split(' ')[-1] + ('()' if paren >= 0 else '')


def samples(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        for block in f.read().split('\n\n'):
            lines = [line for line in block.strip().split('\n') if line.strip()]
            if len(lines) < 2:
                continue
            yield lines[0], lines[1:], [method(line) for line in lines[1:]]


def is_java(name):
    """A Java method ('pkg.Class.method()'), not a kernel symbol ('finish_task_switch.isra.0'), a C library one
    ('pthread_cond_signal@@GLIBC_2.3.2') or the JVM's C++ ('ObjectSynchronizer::inflate')."""
    return name.endswith('()') and '.' in name and '::' not in name and '@' not in name


def pct(count, total):
    return f'{100.0 * count / total:5.1f} %'


def main():
    path, prefixes = sys.argv[1], sys.argv[2:]
    threads, own, incl = collections.Counter(), collections.Counter(), collections.Counter()
    syscalls, kernel_callers = collections.Counter(), collections.Counter()
    tops = {p: collections.Counter() for p in ['org.apache.derby', 'org.apache.camel', 'org.eclipse.jetty',
                                               'org.medsettle'] + prefixes}
    total = 0
    for header, raw, names in samples(path):
        total += 1
        threads[re.sub(r'[-#]?\d+$', '', header.split()[0])] += 1
        for label, key in INCLUSIVE:
            if any(key in n for n in names):
                incl[label] += 1
        in_kernel = 'kernel' in raw[0]
        java = next((n for n in names if is_java(n)), None)
        if in_kernel:
            own['[kernel]'] += 1
            first_user = next((i for i, r in enumerate(raw) if 'kernel' not in r), None)
            kernel = names[:first_user or len(names)]
            # the system call: the frame do_syscall_64 called (ksys_write, __x64_sys_futex ...)
            at = kernel.index('do_syscall_64') if 'do_syscall_64' in kernel else -1
            syscalls[kernel[at - 1] if at > 0 else '(no system call: interrupt, page fault)'] += 1
            caller = next((n for n in names[first_user or 0:] if is_java(n) and not n.startswith(('java.', 'sun.', 'jdk.'))),
                          '(no Java frame)')
            kernel_callers[caller] += 1
        elif java is None:
            own['[native, no Java frame: GC, JIT, VM threads]'] += 1
        else:
            library = next((lib for lib in LIBRARIES if java.startswith(lib)), java.rsplit('.', 2)[0])
            native_leaf = not is_java(names[0])
            own[library + (' (in native code it called)' if native_leaf else '')] += 1
            if not native_leaf:
                for prefix, counter in tops.items():
                    if java.startswith(prefix):
                        counter[java] += 1
    if total == 0:
        print('no samples')
        return
    print(f'samples: {total}')
    section('threads', threads.most_common(8), total)
    section('self (what ran: the innermost Java frame\'s library, the kernel, or native code)', own.most_common(25), total)
    section('inclusive (on the stack)', [(label, incl[label]) for label, _ in INCLUSIVE], total)
    section('kernel by system call', syscalls.most_common(10), total)
    section('kernel by the Java method that entered it (first frame outside the JDK)', kernel_callers.most_common(12),
            total)
    for prefix, counter in tops.items():
        section(f'top methods (self) of {prefix}', counter.most_common(12), total)


def section(title, rows, total):
    print(f'\n{title}:')
    for name, count in rows:
        print(f'  {pct(count, total)}  {name}')

if __name__ == '__main__':
    main()
