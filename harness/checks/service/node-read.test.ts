// The node-read script run for real by sh, with fake iptables-*-save and curl
// on the PATH: a nat table longer than stdout's buffer plus a warning on
// stderr (what iptables-nft-save prints when legacy tables exist) must come
// back whole, the warning apart. Merged into stdout, the warning once split a
// KUBE-SEP rule in two on the testbed.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findServiceChain, judgeServiceChain, readServiceChain } from './kube-svc-chain.ts';
import { configuredProxyMode, kubeProxyTable, nodeReadScript, parseNodeRead } from './node-read.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'kc-node-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = readFileSync(path.join(import.meta.dirname, 'testdata', 'k3-handwritten.txt'), 'utf8');
// Pad the table past 8 KiB with other Services' chains so stdout is flushed in several blocks.
const padding = Array.from({ length: 120 }, (_, i) => `-A KUBE-SEP-PAD${String(i).padStart(13, '0')} -p tcp -m comment --comment "other/svc-${i}:http" -m tcp -j DNAT --to-destination 10.244.9.${i % 250}:8080`).join('\n');
const bigTable = sample.replace('COMMIT', `${padding}\nCOMMIT`);

function fake(name: string, body: string): void {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
}
writeFileSync(path.join(dir, 'table.txt'), bigTable);
// Like xtables-nft-multi: stdout block-buffered, the warning written unbuffered mid-table (here mid-line).
fake('iptables-nft-save', `head -c 5000 ${dir}/table.txt; echo "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them" >&2; tail -c +5001 ${dir}/table.txt`);
fake('iptables-legacy-save', `printf '*nat\\n:PREROUTING ACCEPT [0:0]\\nCOMMIT\\n'`);
fake('curl', 'case "$*" in *127.0.0.1:10249/proxyMode*) printf iptables ;; *) exit 7 ;; esac');

describe.skipIf(process.platform === 'win32')('nodeReadScript + parseNodeRead', () => {
  it('brings back every table whole, the warning apart, and the proxy mode', async () => {
    const { stdout } = await run('sh', ['-c', nodeReadScript('172.18.0.3', true)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    const read = parseNodeRead(stdout);
    expect(read.proxyMode).toBe('iptables');
    expect(read.saves.map((s) => s.tool)).toEqual(['iptables-nft-save', 'iptables-legacy-save']);
    expect(read.errors).toEqual(['iptables-nft-save # Warning: iptables-legacy tables present, use iptables-legacy-save to see them']);
    const table = kubeProxyTable(read)!;
    expect(table.tool).toBe('iptables-nft-save');
    expect(table.text.trim()).toBe(bigTable.trim());
    const chain = findServiceChain(table.dump, { clusterIP: '10.96.140.21', port: 80, protocol: 'TCP' })!;
    expect(judgeServiceChain(readServiceChain(table.dump, chain), ['10.244.1.5:8080', '10.244.2.7:8080', '10.244.2.8:8080']).ok).toBe(true);
  });

  it('without rules asked: only the mode; a silent metrics port gives no mode', async () => {
    fake('curl', 'exit 7');
    const { stdout } = await run('sh', ['-c', nodeReadScript(undefined, false)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    expect(parseNodeRead(stdout)).toEqual({ saves: [], errors: [] });
  });

  it('refuses a node IP that is not an address', () => {
    expect(() => nodeReadScript('1.2.3.4; reboot', true)).toThrow(/bad node IP/);
  });
});

describe('configuredProxyMode', () => {
  it('reads mode from a KubeProxyConfiguration; empty means iptables by default', () => {
    expect(configuredProxyMode('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n')).toEqual({ mode: 'ipvs', explicit: true });
    expect(configuredProxyMode('kind: KubeProxyConfiguration\nmode: ""\n')).toEqual({ mode: 'iptables', explicit: false });
    expect(configuredProxyMode(undefined)).toBeUndefined();
    expect(configuredProxyMode('{ not yaml')).toBeUndefined();
  });
});
