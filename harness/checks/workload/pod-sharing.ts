// What two containers of one pod share: the network namespace (same netns
// inode, the pod's IP in both, localhost reaches the other container) and a
// volume (a file written by one, with the run's nonce, read by the other), but
// not their filesystems (a file outside the volume stays private). The scripts
// run in each container; building them and judging their output are pure.

const MARK = '@@kc';
export const SHARED_DIR = '/shared';
const PRIVATE_FILE = '/tmp/kconform-private';

/** Run in the writer container: identity, addresses, writes the note and a private file. */
export function writerScript(noteFile: string, note: string): string {
  safe(noteFile, note);
  return [
    ...identity(),
    `printf '%s' '${note}' > ${SHARED_DIR}/${noteFile} && echo "${MARK} wrote ok" || echo "${MARK} wrote failed"`,
    `echo private > ${PRIVATE_FILE}`,
  ].join('\n');
}

/** Run in the reader container: identity, addresses, reads the note, looks for the private file, asks localhost. */
export function readerScript(noteFile: string, port: number, echoPath: string): string {
  safe(noteFile, 'x');
  if (!/^\/[A-Za-z0-9/?=&._-]*$/.test(echoPath)) throw new Error(`readerScript: unsafe path ${JSON.stringify(echoPath)}`);
  return [
    ...identity(),
    `echo "${MARK} note $(cat ${SHARED_DIR}/${noteFile} 2>&1)"`,
    `if [ -e ${PRIVATE_FILE} ]; then echo "${MARK} private seen"; else echo "${MARK} private absent"; fi`,
    `echo "${MARK} localhost $(curl -s --max-time 2 'http://localhost:${port}${echoPath}' 2>&1 || echo "curl failed: exit $?")"`,
  ].join('\n');
}

function identity(): string[] {
  return [
    `echo "${MARK} netns $(readlink /proc/self/ns/net)"`,
    `echo "${MARK} mntns $(readlink /proc/self/ns/mnt)"`,
    `(ip -o addr show scope global 2>/dev/null || busybox ip -o addr show scope global) | while read -r _ dev fam addr _; do echo "${MARK} addr $dev $fam $addr"; done`,
  ];
}

function safe(file: string, text: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(file) || !/^[A-Za-z0-9._-]+$/.test(text)) throw new Error('pod-sharing scripts: unsafe file name or note');
}

export interface ContainerView {
  netns?: string;
  mntns?: string;
  /** Global addresses without prefix length. */
  addresses: string[];
  wrote?: boolean;
  note?: string;
  privateSeen?: boolean;
  localhost?: string;
}

export function parseContainerView(text: string): ContainerView {
  const v: ContainerView = { addresses: [] };
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${MARK} (\\S+) ?(.*)$`).exec(line.trimEnd());
    if (!m) continue;
    const [, key, rest = ''] = m;
    if (key === 'netns') v.netns = rest.trim();
    else if (key === 'mntns') v.mntns = rest.trim();
    else if (key === 'addr') {
      const addr = rest.split(/\s+/)[2];
      if (addr) v.addresses.push(addr.replace(/\/\d+$/, ''));
    } else if (key === 'wrote') v.wrote = rest.trim() === 'ok';
    else if (key === 'note') v.note = rest;
    else if (key === 'private') v.privateSeen = rest.trim() === 'seen';
    else if (key === 'localhost') v.localhost = rest;
  }
  return v;
}

export interface SharingVerdict {
  checks: { name: string; passed: boolean; detail: string }[];
  ok: boolean;
}

export function judgeSharing(o: { podIP: string; podIPs: string[]; writer: ContainerView; reader: ContainerView; note: string; echo: string; names: { writer: string; reader: string } }): SharingVerdict {
  const { writer: w, reader: r, names } = o;
  const checks: SharingVerdict['checks'] = [];
  const sameNs = !!w.netns && w.netns === r.netns;
  checks.push({
    name: 'one network namespace',
    passed: sameNs,
    detail: sameNs ? `both containers in ${w.netns}` : `${names.writer} in ${w.netns ?? '?'}, ${names.reader} in ${r.netns ?? '?'}`,
  });
  const ipBoth = w.addresses.includes(o.podIP) && r.addresses.includes(o.podIP);
  checks.push({
    name: 'one pod IP',
    passed: ipBoth && o.podIPs.length <= 2,
    detail: ipBoth
      ? `pod IP ${o.podIP} on an interface of both containers (status.podIPs: ${o.podIPs.join(', ')})`
      : `pod IP ${o.podIP}; ${names.writer} has ${w.addresses.join(', ') || 'no global address'}, ${names.reader} has ${r.addresses.join(', ') || 'no global address'}`,
  });
  const echoed = (r.localhost ?? '').trim() === o.echo;
  checks.push({
    name: `${names.reader} reaches ${names.writer} on localhost`,
    passed: echoed,
    detail: echoed ? `localhost answered ${JSON.stringify(o.echo)}` : `localhost answered ${JSON.stringify((r.localhost ?? '').trim())}, expected ${JSON.stringify(o.echo)}`,
  });
  const noteOk = w.wrote === true && (r.note ?? '').trim() === o.note;
  checks.push({
    name: 'a shared volume',
    passed: noteOk,
    detail: noteOk
      ? `${names.reader} read ${JSON.stringify(o.note)} written by ${names.writer} in ${SHARED_DIR}`
      : w.wrote !== true
        ? `${names.writer} could not write in ${SHARED_DIR}`
        : `${names.reader} read ${JSON.stringify((r.note ?? '').trim())} in ${SHARED_DIR}, expected ${JSON.stringify(o.note)}`,
  });
  const separate = r.privateSeen === false && !!w.mntns && w.mntns !== r.mntns;
  checks.push({
    name: 'separate filesystems outside the volume',
    passed: separate,
    detail: separate ? `${PRIVATE_FILE} written by ${names.writer} is not visible to ${names.reader}` : `${names.reader} sees ${PRIVATE_FILE} of ${names.writer} (mount namespaces ${w.mntns ?? '?'} / ${r.mntns ?? '?'})`,
  });
  return { checks, ok: checks.every((c) => c.passed) };
}
