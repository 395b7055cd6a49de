// Side by side with upstream e2e: for each scenario, the upstream Kubernetes
// e2e specs (k8s.io/kubernetes test/e2e, built by bench/upstream-e2e/build.sh)
// and the kconform check for the same behaviour, both run against the same
// cluster, healthy and with a fault injected (then restored), each bounded in
// time. Records verdict, the first lines of the message and seconds into
// JSON and a Markdown table. A yardstick, not product code.
//
//   npx node bench/upstream-e2e.ts --kubeconfig K [--e2e PATH] [--scenarios dns,nodeport,rollout]
//        [--cases healthy,fault] [--bound 180] [--out DIR] [--substitute-glibc] [--kconform-only|--upstream-only]
//
// kubectl: $KUBECTL, else the one on PATH.
// --e2e defaults to the newest e2e.test under ~/.cache/kconform/out/e2e-<k8s>/.
// --bound is each tool's time limit per case, in seconds: upstream gets it as
// --ginkgo.timeout (ginkgo then interrupts the spec and runs its cleanup) and
// is killed 120 s later if it is still running; kconform gets SIGINT at the
// bound (its own Ctrl-C path cleans up) and SIGKILL 60 s later.
// Faults are injected the way the cluster tests inject them
// (harness/checks/*/ *.cluster.test.ts) and always restored, also on error.
// --substitute-glibc tags the testbed's agnhost image (Debian with dig and a
// shell) as registry.k8s.io/e2e-test-images/glibc-dns-testing:2.1.1 and loads
// it into the nodes, because the upstream DNS specs need that image and none
// can be built here; the report says so on every row it affects.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';

const repo = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    e2e: { type: 'string', default: '' },
    scenarios: { type: 'string', default: 'dns,nodeport,rollout' },
    cases: { type: 'string', default: 'healthy,fault' },
    bound: { type: 'string', default: '180' },
    out: { type: 'string', default: path.join(repo, 'reports', 'upstream-e2e') },
    'substitute-glibc': { type: 'boolean', default: false },
    'kconform-only': { type: 'boolean', default: false },
    'upstream-only': { type: 'boolean', default: false },
  },
});
if (!values.kubeconfig) throw new Error('give --kubeconfig (or set KUBECONFIG)');
const KUBECONFIG = path.resolve(values.kubeconfig);
const BOUND_S = Number(values.bound);
if (!Number.isFinite(BOUND_S) || BOUND_S < 10 || BOUND_S > 3600) throw new Error(`--bound: expected seconds between 10 and 3600, got '${values.bound}'`);
const OUT = path.resolve(values.out);

// ------------------------------------------------------------------ cluster helpers

async function kubectl(args: string[], timeoutMs = 60_000): Promise<string> {
  const r = await execa(process.env.KUBECTL ?? 'kubectl', ['--kubeconfig', KUBECONFIG, ...args], { reject: false, timeout: timeoutMs, all: true });
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.exitCode}): ${String(r.all ?? '').split('\n').slice(-5).join(' | ')}`);
  return String(r.stdout);
}

async function onNode(node: string, cmd: string[]): Promise<void> {
  const r = await execa('docker', ['exec', node, ...cmd], { reject: false, all: true, timeout: 30_000 });
  if (r.exitCode !== 0) throw new Error(`on ${node}: ${cmd.join(' ')} failed (exit ${r.exitCode}): ${String(r.all ?? '')}`);
}

interface NodeInfo {
  name: string;
  ip: string;
}
async function nodes(): Promise<NodeInfo[]> {
  const list = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])) as {
    items: { metadata: { name: string }; status: { addresses: { type: string; address: string }[] } }[];
  };
  return list.items.map((n) => ({ name: n.metadata.name, ip: n.status.addresses.find((a) => a.type === 'InternalIP')!.address })).sort((a, b) => a.name.localeCompare(b.name));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

// ------------------------------------------------------------------ faults

interface Fault {
  /** What is broken, in words for the report. */
  what: string;
  inject(): Promise<void>;
  restore(): Promise<void>;
  /** Runs next to each tool while the fault is in place (watchers that break what the tool creates). */
  during?(tool: 'upstream' | 'kconform', signal: AbortSignal): Promise<string[]>;
}

function corednsScaledToZero(): Fault {
  let replicas = 2;
  return {
    what: 'CoreDNS Deployment scaled to 0 (pods gone before the run)',
    async inject() {
      replicas = Number(await kubectl(['-n', 'kube-system', 'get', 'deploy', 'coredns', '-o', 'jsonpath={.spec.replicas}'])) || 2;
      await kubectl(['-n', 'kube-system', 'scale', 'deploy', 'coredns', '--replicas=0']);
      await kubectl(['-n', 'kube-system', 'wait', '--for=delete', 'pod', '-l', 'k8s-app=kube-dns', '--timeout=90s'], 100_000);
    },
    async restore() {
      await kubectl(['-n', 'kube-system', 'scale', 'deploy', 'coredns', `--replicas=${replicas}`]);
      await kubectl(['-n', 'kube-system', 'rollout', 'status', 'deploy/coredns', '--timeout=180s'], 190_000);
    },
  };
}

/** raw PREROUTING sees the packet before kube-proxy's DNAT; -d keeps other nodes' traffic alone. */
function nodePortsDroppedOnOneNode(): Fault {
  let undo: (() => Promise<void>) | undefined;
  const fault: Fault = {
    what: 'TCP 30000-32767 to the last node (by name) dropped in its raw PREROUTING chain',
    async inject() {
      const v = (await nodes()).at(-1)!;
      const rule = ['PREROUTING', '-d', v.ip, '-p', 'tcp', '--dport', '30000:32767', '-j', 'DROP'];
      await onNode(v.name, ['iptables', '-t', 'raw', '-I', ...rule]);
      undo = () => onNode(v.name, ['iptables', '-t', 'raw', '-D', ...rule]);
      fault.what = `TCP 30000-32767 to ${v.name} (${v.ip}) dropped in its raw PREROUTING chain`;
    },
    async restore() {
      await undo?.();
      undo = undefined;
    },
  };
  return fault;
}

// A registry name that cannot resolve (.invalid): the pull fails without any lookup of a real host.
const UNPULLABLE = 'kconform.invalid/e2e-test-images/agnhost:0.0-unpullable';
/**
 * A rollout to an image that cannot be pulled: the tools pick their own
 * images, so a watcher rewrites the image of the revision each tool rolls out
 * (kconform: the v1 -> v2 update, generation 2; upstream's RollingUpdateDeployment:
 * the Deployment that takes over an existing ReplicaSet, generation 1) to a tag
 * no node has and no registry serves.
 */
function rolloutToUnpullableImage(): Fault {
  return {
    what: `the rolled-out revision's image rewritten to ${UNPULLABLE} (not on the nodes, no registry)`,
    async inject() {},
    async restore() {},
    async during(tool, signal) {
      const nsPrefix = tool === 'kconform' ? 'kconform-' : 'deployment-';
      const minGeneration = tool === 'kconform' ? 2 : 1;
      const done = new Set<string>();
      const log: string[] = [];
      const t0 = performance.now();
      while (!signal.aborted) {
        try {
          const list = JSON.parse(await kubectl(['get', 'deploy', '-A', '-o', 'json'], 15_000)) as {
            items: { metadata: { name: string; namespace: string; generation: number }; spec: { template: { spec: { containers: { name: string; image: string }[] } } } }[];
          };
          for (const d of list.items) {
            const key = `${d.metadata.namespace}/${d.metadata.name}`;
            if (!d.metadata.namespace.startsWith(nsPrefix) || done.has(key) || d.metadata.generation < minGeneration) continue;
            if (d.spec.template.spec.containers.every((c) => c.image === UNPULLABLE)) continue;
            const sets = d.spec.template.spec.containers.map((c) => `${c.name}=${UNPULLABLE}`);
            await kubectl(['-n', d.metadata.namespace, 'set', 'image', `deploy/${d.metadata.name}`, ...sets]);
            done.add(key);
            log.push(`+${((performance.now() - t0) / 1000).toFixed(1)}s: ${key} generation ${d.metadata.generation}: image -> ${UNPULLABLE}`);
          }
        } catch (e) {
          if (!signal.aborted) log.push(`watcher: ${(e as Error).message.slice(0, 200)}`);
        }
        await sleep(300);
      }
      return log;
    },
  };
}

// ------------------------------------------------------------------ scenarios

interface KconformCommand {
  suite: string;
  filter: string;
  label: string;
}

interface Scenario {
  name: string;
  /** Upstream spec names (ginkgo focus, one regex) and the images they need besides agnhost. */
  upstream: { focus: string; label: string; images: string[] };
  /** Absent where kconform has no check for the behaviour on this branch. */
  kconform?: KconformCommand;
  fault: () => Fault;
}

const esc = (s: string) => s.replace(/[[\]().*+?^$|\\{}]/g, '\\$&');
const SCENARIOS: Record<string, Scenario> = {
  dns: {
    name: 'dns',
    upstream: { focus: esc('[sig-network] DNS should provide DNS for services [Conformance]'), label: '[sig-network] DNS should provide DNS for services [Conformance]', images: ['glibc-dns-testing:2.1.1'] },
    kconform: { suite: 'suites/network.yaml', filter: 'network/dns', label: 'network/dns (kind: dns)' },
    fault: corednsScaledToZero,
  },
  nodeport: {
    name: 'nodeport',
    upstream: {
      focus: esc('[sig-network] Services should be able to create a functioning NodePort service [Conformance]'),
      label: '[sig-network] Services should be able to create a functioning NodePort service [Conformance]',
      images: [],
    },
    kconform: { suite: 'suites/classic.yaml', filter: 'classic/service-nodeport', label: 'classic/service-nodeport (kind: service, mode: nodePort)' },
    fault: nodePortsDroppedOnOneNode,
  },
  rollout: {
    name: 'rollout',
    upstream: {
      focus: esc('[sig-apps] Deployment RollingUpdateDeployment should delete old pods and create new ones [Conformance]'),
      label: '[sig-apps] Deployment RollingUpdateDeployment should delete old pods and create new ones [Conformance]',
      images: [],
    },
    // Only the update under traffic (a bench suite): upstream's spec has no rollback phases.
    kconform: { suite: 'bench/upstream-e2e/suites/rollout.yaml', filter: 'bench-rollout/rollout-update', label: 'bench-rollout/rollout-update (kind: rollout, rollback: false)' },
    fault: rolloutToUnpullableImage,
  },
  netpol: {
    name: 'netpol',
    upstream: {
      focus: `${esc("[sig-network] Netpol NetworkPolicy between server and client should support a 'default-deny-ingress' policy")}|${esc('[sig-network] Netpol NetworkPolicy between server and client should enforce policy to allow traffic from pods within server namespace based on PodSelector')}`,
      label: "[sig-network] Netpol NetworkPolicy between server and client: 'default-deny-ingress'; allow from pods within server namespace based on PodSelector [Feature:NetworkPolicy]",
      images: [],
    },
    fault: () => ({ what: 'none: flannel does not enforce NetworkPolicy', async inject() {}, async restore() {} }),
  },
};

// ------------------------------------------------------------------ running the tools

interface ToolResult {
  tool: 'upstream' | 'kconform';
  what: string;
  verdict: string;
  message: string;
  seconds: number;
  /** Seconds inside the spec/check itself (ginkgo RunTime, kconform durationMs). */
  innerSeconds?: number;
  exitCode: number | undefined;
  loadBefore: string;
  loadAfter: string;
  log: string;
  notes: string[];
}

const firstLines = (s: string, n = 3) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' / ')
    .slice(0, 400);

async function defaultE2e(): Promise<string> {
  const versions = await readFile(path.join(repo, 'harness/images/versions.env'), 'utf8');
  const k8s = /^K8S_VERSION=(\S+)/m.exec(versions)?.[1] ?? '';
  const base = path.join(process.env.KCONFORM_CACHE ?? path.join(homedir(), '.cache/kconform'), 'out', `e2e-${k8s}`);
  const keys = existsSync(base) ? await readdir(base) : [];
  const built = [];
  for (const k of keys) if (existsSync(path.join(base, k, '.ok'))) built.push({ p: path.join(base, k, 'e2e.test'), t: (await stat(path.join(base, k, '.ok'))).mtimeMs });
  const newest = built.sort((a, b) => b.t - a.t)[0];
  if (!newest) throw new Error(`no e2e.test built for ${k8s} under ${base}: run bench/upstream-e2e/build.sh first`);
  return newest.p;
}

interface GinkgoSpec {
  LeafNodeType: string;
  LeafNodeText: string;
  ContainerHierarchyTexts?: string[];
  State: string;
  RunTime: number;
  Failure?: { Message: string; Location?: { FileName: string; LineNumber: number } };
}

async function runUpstream(e2e: string, sc: Scenario, dir: string): Promise<ToolResult> {
  await mkdir(dir, { recursive: true });
  const report = path.join(dir, 'ginkgo.json');
  const logFile = path.join(dir, 'e2e.log');
  const loadBefore = load();
  const t0 = performance.now();
  const r = await execa(
    e2e,
    [`--kubeconfig=${KUBECONFIG}`, '--provider=skeleton', `--ginkgo.focus=${sc.upstream.focus}`, `--ginkgo.timeout=${BOUND_S}s`, `--ginkgo.json-report=${report}`, '--ginkgo.no-color', '--ginkgo.v', `--report-dir=${dir}`],
    { reject: false, all: true, timeout: (BOUND_S + 120) * 1000, killSignal: 'SIGKILL', cwd: dir },
  );
  const seconds = (performance.now() - t0) / 1000;
  const out = String(r.all ?? '');
  await writeFile(logFile, out);
  const notes: string[] = [];
  if (r.timedOut) notes.push(`killed by the bench ${BOUND_S + 120}s after start`);
  let specs: GinkgoSpec[] = [];
  try {
    const rep = JSON.parse(await readFile(report, 'utf8')) as { SpecReports: GinkgoSpec[] }[];
    specs = rep.flatMap((s) => s.SpecReports ?? []).filter((s) => s.LeafNodeType === 'It' && s.State !== 'skipped');
  } catch (e) {
    notes.push(`no ginkgo JSON report: ${(e as Error).message}`);
  }
  // The step a spec was at when it ended: says what it was waiting for when it timed out.
  // (the steps before ginkgo's timeout marker: after it come the cleanup steps).
  const cut = out.search(/\[TIMEDOUT\]|A suite timeout occurred|\[INTERRUPTED\]/);
  const steps = [...(cut >= 0 ? out.slice(0, cut) : out).matchAll(/^\s*STEP: (.*?)(?: @ [\d/ :.]+)?$/gm)].map((m) => m[1]!.slice(0, 160));
  if (specs.length === 0) {
    return { tool: 'upstream', what: sc.upstream.label, verdict: r.timedOut ? 'no verdict (killed)' : 'no spec ran', message: firstLines(out.split('\n').slice(-5).join('\n')), seconds, exitCode: r.exitCode, loadBefore, loadAfter: load(), log: logFile, notes };
  }
  const states = specs.map((s) => s.State);
  const verdict = states.every((s) => s === 'passed') ? 'passed' : [...new Set(states)].join('+');
  const failed = specs.filter((s) => s.State !== 'passed');
  let message = failed.map((s) => `${s.LeafNodeText}: ${firstLines(s.Failure?.Message ?? '', 2)}`).join(' || ');
  if (failed.some((s) => /timedout|interrupted/.test(s.State)) && steps.length > 0) message += ` [last step: ${steps.at(-1)}]`;
  const pending = /(ImagePullBackOff|ErrImagePull|ErrImageNeverPull)[^\n]{0,200}/.exec(out);
  if (pending) notes.push(`log mentions ${pending[1]}: ${pending[0].slice(0, 200)}`);
  const innerSeconds = specs.reduce((a, s) => a + s.RunTime / 1e9, 0);
  return { tool: 'upstream', what: sc.upstream.label, verdict, message: message.slice(0, 600), seconds, innerSeconds, exitCode: r.exitCode, loadBefore, loadAfter: load(), log: logFile, notes };
}

interface KcCheck {
  id: string;
  status: string;
  reason: string;
  durationMs: number;
}
async function runKconform(kc: KconformCommand, dir: string): Promise<ToolResult> {
  await mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'kconform.log');
  const main = path.join(repo, 'harness/cli/main.ts');
  const args = [main, 'run', kc.suite, '--filter', kc.filter, '--kubeconfig', KUBECONFIG, '--reports', dir, '--no-html', '--no-junit'];
  const loadBefore = load();
  const t0 = performance.now();
  const child = execa(process.execPath, args, { reject: false, all: true, cwd: repo, env: { CI: 'true' }, forceKillAfterDelay: 60_000 });
  const timer = setTimeout(() => child.kill('SIGINT'), BOUND_S * 1000);
  const r = await child;
  clearTimeout(timer);
  const seconds = (performance.now() - t0) / 1000;
  const out = String(r.all ?? '');
  await writeFile(logFile, out);
  const notes: string[] = [];
  if (seconds >= BOUND_S) notes.push(`interrupted by the bench (SIGINT) at ${BOUND_S}s`);
  let checks: KcCheck[] = [];
  try {
    const res = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as { suites: { checks: KcCheck[] }[] };
    checks = res.suites.flatMap((s) => s.checks);
  } catch (e) {
    notes.push(`no results.json: ${(e as Error).message}`);
  }
  const command = `npx kconform run ${kc.suite} --filter '${kc.filter}' --kubeconfig K`;
  if (checks.length === 0) {
    return { tool: 'kconform', what: command, verdict: `no check ran (exit ${r.exitCode})`, message: firstLines(out.split('\n').slice(-4).join('\n')), seconds, exitCode: r.exitCode, loadBefore, loadAfter: load(), log: logFile, notes };
  }
  return {
    tool: 'kconform',
    what: command,
    verdict: checks.map((c) => c.status).join('+'),
    message: checks.map((c) => `${c.id}: ${firstLines(c.reason, 2)}`).join(' || ').slice(0, 600),
    seconds,
    innerSeconds: checks.reduce((a, c) => a + c.durationMs / 1000, 0),
    exitCode: r.exitCode,
    loadBefore,
    loadAfter: load(),
    log: logFile,
    notes,
  };
}

/** Leftover e2e namespaces after a killed run (the framework labels its own). */
async function removeUpstreamLeftovers(): Promise<string[]> {
  // Namespaces the framework is already deleting (Terminating) are not leftovers.
  const names = (await kubectl(['get', 'ns', '-l', 'e2e-run', '-o', 'jsonpath={range .items[?(@.status.phase=="Active")]}{.metadata.name} {end}'])).split(/\s+/).filter(Boolean);
  if (names.length > 0) await kubectl(['delete', 'ns', '--wait=false', ...names]);
  return names;
}

async function withDuring<T>(fault: Fault | undefined, tool: 'upstream' | 'kconform', run: () => Promise<T>): Promise<{ result: T; during: string[] }> {
  const ac = new AbortController();
  const watcher = fault?.during?.(tool, ac.signal) ?? Promise.resolve([]);
  try {
    const result = await run();
    ac.abort();
    const during = await watcher;
    if (during.length) process.stderr.write(`    fault watcher: ${during.join('; ')}\n`);
    return { result, during };
  } finally {
    ac.abort();
    await watcher.catch(() => []);
  }
}

// ------------------------------------------------------------------ glibc-dns-testing substitute

const GLIBC = 'registry.k8s.io/e2e-test-images/glibc-dns-testing:2.1.1';
async function substituteGlibc(): Promise<string> {
  const versions = await readFile(path.join(repo, 'harness/images/versions.env'), 'utf8');
  const k8s = /^K8S_VERSION=(\S+)/m.exec(versions)![1]!;
  const tag = new RegExp(`^K8S_${k8s.replace(/[v.]/g, (c) => (c === 'v' ? 'V' : '_'))}_AGNHOST_TAG=(\\S+)`, 'm').exec(versions)?.[1];
  const agnhost = `registry.k8s.io/e2e-test-images/agnhost:${tag}`;
  await execa('docker', ['tag', agnhost, GLIBC]);
  const saved = await execa('docker', ['save', GLIBC], { encoding: 'buffer', maxBuffer: 1e9 });
  for (const n of await nodes()) {
    await execa('docker', ['exec', '-i', n.name, 'ctr', '-n', 'k8s.io', 'images', 'import', '--all-platforms', '-'], { input: saved.stdout as Uint8Array });
  }
  return `${GLIBC} = the testbed's ${agnhost} retagged (Debian, sh, dig), loaded into every node; the upstream image cannot be built or pulled here`;
}

// ------------------------------------------------------------------ main

interface CaseRecord {
  scenario: string;
  case: 'healthy' | 'fault';
  fault: string;
  upstream?: ToolResult & { watcher?: string[] };
  kconform?: ToolResult & { watcher?: string[] };
  restoreSeconds?: number;
  error?: string;
}

const names = values.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario '${n}' (known: ${Object.keys(SCENARIOS).join(', ')})`);
const cases = values.cases.split(',').map((c) => c.trim()) as ('healthy' | 'fault')[];
for (const c of cases) if (c !== 'healthy' && c !== 'fault') throw new Error(`unknown case '${c}' (healthy, fault)`);
const e2e = values['kconform-only'] ? '' : values.e2e || (await defaultE2e());
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = path.join(OUT, stamp);
await mkdir(outDir, { recursive: true });
const header: string[] = [`started ${new Date().toISOString()}, bound ${BOUND_S}s per tool and case, e2e ${e2e || '(not run)'}`, `nodes: ${(await nodes()).map((n) => `${n.name} ${n.ip}`).join(', ')}`];
if (values['substitute-glibc']) header.push(await substituteGlibc());
process.stderr.write(header.join('\n') + '\n');

const records: CaseRecord[] = [];
let interrupted = false;
let activeFault: Fault | undefined;
process.on('SIGINT', () => {
  // Restore before leaving: a fault left in place would break every later run.
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('interrupted: restoring the cluster, then exiting (Ctrl-C again to leave at once)\n');
  void (activeFault?.restore() ?? Promise.resolve()).finally(() => process.exit(130));
});

for (const n of names) {
  const sc = SCENARIOS[n]!;
  for (const c of cases) {
    if (interrupted) break;
    const fault = c === 'fault' ? sc.fault() : undefined;
    const rec: CaseRecord = { scenario: n, case: c, fault: fault?.what ?? 'none' };
    const dir = path.join(outDir, `${n}-${c}`);
    process.stderr.write(`\n== ${n} / ${c} (load ${load()})\n`);
    try {
      if (fault) {
        activeFault = fault;
        await fault.inject();
        rec.fault = fault.what;
        process.stderr.write(`  fault injected: ${fault.what}\n`);
      }
      if (!values['kconform-only']) {
        const { result, during } = await withDuring(fault, 'upstream', () => runUpstream(e2e, sc, path.join(dir, 'upstream')));
        rec.upstream = { ...result, watcher: during };
        const left = await removeUpstreamLeftovers();
        if (left.length) rec.upstream.notes.push(`leftover namespaces deleted by the bench: ${left.join(' ')}`);
        process.stderr.write(`  upstream: ${result.verdict} in ${result.seconds.toFixed(1)}s: ${result.message.slice(0, 300)}\n`);
      }
      if (!values['upstream-only'] && sc.kconform) {
        const { result, during } = await withDuring(fault, 'kconform', () => runKconform(sc.kconform!, path.join(dir, 'kconform')));
        rec.kconform = { ...result, watcher: during };
        process.stderr.write(`  kconform: ${result.verdict} in ${result.seconds.toFixed(1)}s: ${result.message.slice(0, 300)}\n`);
      }
    } catch (e) {
      rec.error = (e as Error).message;
      process.stderr.write(`  error: ${rec.error}\n`);
    } finally {
      if (fault) {
        const t0 = performance.now();
        await fault.restore();
        rec.restoreSeconds = (performance.now() - t0) / 1000;
        activeFault = undefined;
        process.stderr.write(`  restored in ${rec.restoreSeconds.toFixed(1)}s\n`);
      }
    }
    records.push(rec);
    await writeFile(path.join(outDir, 'results.json'), JSON.stringify({ header, records }, null, 2));
  }
}

// ------------------------------------------------------------------ report

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const lines: string[] = ['# Upstream e2e side by side with kconform', '', ...header.map((h) => `- ${h}`), ''];
for (const n of names) {
  const sc = SCENARIOS[n]!;
  lines.push(`## ${n}`, '', `upstream: \`${sc.upstream.label}\`; kconform: ${sc.kconform ? `\`${sc.kconform.label}\`` : 'no check for this on this branch'}`, '');
  lines.push('| case | fault | tool | verdict | message (first lines) | seconds (wall / inside) | load before → after | notes |', '|---|---|---|---|---|---|---|---|');
  for (const r of records.filter((x) => x.scenario === n)) {
    for (const t of [r.upstream, r.kconform]) {
      if (!t) continue;
      const notes = [...t.notes, ...(t.watcher ?? [])].join('; ');
      lines.push(`| ${r.case} | ${cell(r.fault)} | ${t.tool} | ${t.verdict} | ${cell(t.message)} | ${t.seconds.toFixed(1)} / ${t.innerSeconds?.toFixed(1) ?? '–'} | ${t.loadBefore} → ${t.loadAfter} | ${cell(notes)} |`);
    }
    if (r.error) lines.push(`| ${r.case} | ${cell(r.fault)} | (bench) | error | ${cell(r.error)} | | | |`);
  }
  lines.push('');
}
await writeFile(path.join(outDir, 'results.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write(`\nwritten: ${outDir}/results.json, results.md\n`);
