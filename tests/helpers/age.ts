import { spawnSync } from 'node:child_process';

/**
 * Drives `age -d` through a pseudo-terminal (age reads a passphrase only from a terminal) and
 * returns its exit status and what it printed. The two paths go to Python as the hex of their bytes
 * and on to age as bytes, so a file name that is not UTF-8 is opened under exactly that name.
 */
export function ageDecrypt(file: string | Buffer, out: string | Buffer, passphrase: string): { status: number | null; output: string } {
  const script = `
import os, pty, sys
src, dst = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(b'age', [b'age', b'-d', b'-o', dst, src])
buf = b''
while b'passphrase' not in buf.lower():
    chunk = os.read(fd, 1024)
    if not chunk: break
    buf += chunk
os.write(fd, sys.argv[3].encode() + b'\\n')
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk: break
        buf += chunk
except OSError:
    pass
_, st = os.waitpid(pid, 0)
sys.stdout.write(buf.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(st))
`;
  const hex = (p: string | Buffer): string => Buffer.from(p).toString('hex');
  const r = spawnSync('python3', ['-c', script, hex(file), hex(out), passphrase], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
