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
  /** Per-case side by side: kconform case names (the check's "cases" evidence) and the upstream specs that test the same thing. */
  pairs?: Pair[];
  fault: () => Fault;
}

interface Pair {
  /** kconform case names as the check's cases table names them. */
  kconform: string[];
  /** Upstream spec texts after "[sig-network] Netpol " (container texts and the It text). */
  upstream: string[];
  /** How the two differ, where they do. */
  note?: string;
}

const SC = 'NetworkPolicy between server and client';
const UDP = '[LinuxOnly] NetworkPolicy between server and client using UDP';
/**
 * Each built-in networkPolicy case (and the suite's two) with the v1.37 e2e
 * Netpol specs closest to it. Upstream probes TCP 80/81 (UDP in its UDP
 * context) among x, y, z x a, b, c; kconform probes TCP 80, 81 and UDP 80
 * among x, y, z x a, b, plus DNS, in one table per case.
 */
const NETPOL_PAIRS: Pair[] = [
  { kconform: ['default-deny-ingress'], upstream: [`${SC} should support a 'default-deny-ingress' policy`, `${UDP} should support a 'default-deny-ingress' policy`] },
  { kconform: ['default-deny-egress'], upstream: [`${SC} should deny egress from all pods in a namespace`] },
  { kconform: ['allow-from-namespace'], upstream: [`${SC} should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector`] },
  { kconform: ['allow-from-pod'], upstream: [`${SC} should enforce policy to allow traffic from pods within server namespace based on PodSelector`] },
  { kconform: ['allow-from-namespace-and-pod'], upstream: [`${SC} should enforce policy based on PodSelector and NamespaceSelector`] },
  { kconform: ['allow-from-namespace-or-pod'], upstream: [`${SC} should enforce policy based on PodSelector or NamespaceSelector`] },
  { kconform: ['allow-port'], upstream: [`${SC} should enforce policy based on Ports`, `${UDP} should enforce policy based on Ports`] },
  { kconform: ['allow-named-port'], upstream: [`${SC} should allow ingress access on one named port`], note: 'kconform: a UDP named port; upstream: TCP serve-81-tcp' },
  { kconform: ['allow-port-range'], upstream: [], note: 'no upstream spec sends traffic through an endPort range (only "Netpol API should support creating NetworkPolicy API with endport field")' },
  { kconform: ['egress-deny-allows-dns'], upstream: [`${SC} should allow egress access on one named port`], note: 'upstream: egress to one named port plus DNS; kconform: egress deny that keeps DNS' },
  { kconform: ['ip-block-except'], upstream: [`${SC} should enforce except clause while egress access to server in CIDR block`], note: 'upstream: egress ipBlock; kconform: ingress ipBlock' },
  { kconform: ['policy-types-without-rules'], upstream: [`${SC} should support a 'default-deny-all' policy`], note: "upstream: every pod of x; kconform: x/a only" },
  { kconform: ['added-changed-removed'], upstream: [`${SC} should enforce updated policy`, `${SC} should stop enforcing policies after they are deleted`] },
  { kconform: ['egress-to-namespace-port'], upstream: [`${SC} should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector`] },
];

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
      focus: NETPOL_PAIRS.flatMap((p) => p.upstream).map((u) => esc(`[sig-network] Netpol ${u}`)).join('|'),
      label: `[sig-network] Netpol: the ${NETPOL_PAIRS.flatMap((p) => p.upstream).length} specs paired with the built-in networkPolicy cases (table below) [Feature:NetworkPolicy]`,
      images: [],
    },
    kconform: { suite: 'suites/network-policy.yaml', filter: 'network-policy/network-policy', label: 'network-policy/network-policy (kind: networkPolicy, 12 built-in cases + 2 of the suite)' },
    pairs: NETPOL_PAIRS,
    fault: () => ({ what: 'none defined (run --cases healthy)', async inject() {}, async restore() {} }),
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
  /** One row per spec (upstream) or per case (kconform), for scenarios with pairs. */
  parts?: Part[];
}

interface Part {
  name: string;
  verdict: string;
  seconds: number;
  message: string;
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
  const parts = specs.map((s) => ({ name: [...(s.ContainerHierarchyTexts ?? []), s.LeafNodeText].join(' '), verdict: s.State, seconds: s.RunTime / 1e9, message: firstLines(s.Failure?.Message ?? '', 2) }));
  return { tool: 'upstream', what: sc.upstream.label, verdict, message: message.slice(0, 600), seconds, innerSeconds, exitCode: r.exitCode, loadBefore, loadAfter: load(), log: logFile, notes, parts };
}

interface KcCheck {
  id: string;
  status: string;
  reason: string;
  durationMs: number;
  evidence?: { kind: string; title?: string; columns?: string[]; rows?: (string | number)[][] }[];
}

/** Per case from the networkPolicy check's "cases" table: its steps' times summed, worst result. */
function casesOf(checks: KcCheck[]): Part[] {
  const table = checks.flatMap((c) => c.evidence ?? []).find((e) => e.kind === 'table' && e.title?.startsWith('cases'));
  if (!table?.columns || !table.rows) return [];
  const col = (n: string) => table.columns!.indexOf(n);
  const parts = new Map<string, Part>();
  for (const row of table.rows) {
    const name = String(row[col('case')]);
    const p = parts.get(name) ?? { name, verdict: 'pass', seconds: 0, message: '' };
    p.seconds += parseFloat(String(row[col('step time')])) || 0;
    const result = String(row[col('result')]);
    if (result !== 'as expected') p.verdict = result === 'MISMATCH' ? 'fail (mismatch)' : result;
    const step = `${row[col('step')]}: enforced after ${row[col('enforced after')]}, ${row[col('denied / expected denials')]} denied`;
    p.message = p.message ? `${p.message}; ${step}` : step;
    parts.set(name, p);
  }
  return [...parts.values()];
}
async function runKconform(kc: KconformCommand, dir: string): Promise<ToolResult> {
  await mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'kconform.log');
  const main = path.join(repo, 'harness/cli/main.ts');
  const args = [main, 'run', kc.suite, '--filter', kc.filter, '--kubeconfig', KUBECONFIG, '--reports', dir, '--no-html', '--no-junit', '--evidence', 'always'];
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
    parts: casesOf(checks),
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

/** Case by case: the kconform case(s) and the upstream spec(s) paired with them, verdicts and seconds. */
function pairTable(pairs: Pair[], r: CaseRecord): string[] {
  const specs = r.upstream?.parts ?? [];
  const kc = r.kconform?.parts ?? [];
  const out = [`### ${r.case}: case by case`, '', '| kconform case | verdict | s | upstream spec | verdict | s | note |', '|---|---|---|---|---|---|---|'];
  for (const p of pairs) {
    const mine = kc.filter((k) => p.kconform.includes(k.name));
    const theirs = p.upstream.map((u) => specs.find((s) => s.name.startsWith(`[sig-network] Netpol ${u}`)) ?? { name: u, verdict: r.upstream ? 'not run' : '–', seconds: NaN, message: '' });
    const rows = Math.max(1, theirs.length);
    for (let i = 0; i < rows; i++) {
      const k = i === 0 ? mine : [];
      const t = theirs[i];
      const kcCell = i > 0 ? '〃 | | ' : k.length ? `${k.map((x) => x.name).join(', ')} | ${k.map((x) => x.verdict).join('+')} | ${k.reduce((a, x) => a + x.seconds, 0).toFixed(1)}` : `${p.kconform.join(', ')} | ${r.kconform ? 'not run' : '–'} | `;
      const upCell = t ? `${cell(t.name.replace('[sig-network] Netpol ', ''))} | ${t.verdict}${t.message ? `: ${cell(t.message.slice(0, 160))}` : ''} | ${Number.isNaN(t.seconds) ? '' : t.seconds.toFixed(1)}` : '(none) | | ';
      out.push(`| ${kcCell} | ${upCell} | ${i === 0 ? cell(p.note ?? '') : ''} |`);
    }
  }
  const sum = (xs: Part[]) => xs.reduce((a, x) => a + x.seconds, 0).toFixed(1);
  out.push('', `Sum of the rows: kconform cases ${sum(kc)} s (check ${r.kconform?.innerSeconds?.toFixed(1) ?? '–'} s, wall ${r.kconform?.seconds.toFixed(1) ?? '–'} s, model set up once); upstream specs ${sum(specs)} s (wall ${r.upstream?.seconds.toFixed(1) ?? '–'} s, model set up per spec).`, '');
  return out;
}

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
  for (const r of records.filter((x) => x.scenario === n && sc.pairs)) lines.push(...pairTable(sc.pairs!, r));
}
await writeFile(path.join(outDir, 'results.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write(`\nwritten: ${outDir}/results.json, results.md\n`);
