// Time to first report in pull mode, from nothing: `kconform conformance
// --images pull --registry-mirror http://127.0.0.1:PORT`, cluster up and down
// included, with a Docker daemon whose image store is emptied before every run
// (a second dockerd, harness/testing/second-docker.ts; the main daemon is not
// touched). The registry stands in for the internet: it holds images BUILT
// HERE under their upstream names (harness/testing/pull-testbed.ts), the lean
// node image as kindest/node, so nodes pull every control-plane and CNI image.
// Goal: median <= 180 s. Root (dockerd, iptables). Not a test: figures only.
//
//   npx node bench/pull-first-report.ts [--runs 3] [--nodes 3] [--suite suites/nodes.yaml]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { printTable, summarizeRuns } from './timing.ts';
import { startPullTestbed } from '../harness/testing/pull-testbed.ts';
import { startSecondDocker } from '../harness/testing/second-docker.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    nodes: { type: 'string', default: '3' },
    suite: { type: 'string', default: 'suites/nodes.yaml' },
    name: { type: 'string', default: 'kc-pull-bench' },
  },
});
const runs = Math.max(1, Number(values.runs) || 3);
const goal = 180;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const say = (l: string) => process.stderr.write(`  ${l}\n`);

// The daemon first: it fails in seconds where the registry's loading takes minutes.
const d2 = await startSecondDocker({ dir: '/tmp/kc-pull-bench', pool: '10.216.0.0/16', kindNetwork: { bridge: 'kcpullb0', subnet: '10.217.0.0/24' }, log: say });
const tb = await startPullTestbed(say).catch(async (e: unknown) => {
  await d2.stop();
  throw e;
});
const times: number[] = [];
let failed = false;
try {
  for (let i = 0; i < runs; i++) {
    // Empty the image store (this daemon is ours alone), then check it is.
    const ids = (await d2.docker(['images', '-aq'])).out.split('\n').filter(Boolean);
    if (ids.length) await d2.docker(['rmi', '-f', ...new Set(ids)]);
    const left = (await d2.docker(['images', '-q'])).out.trim();
    if (left) throw new Error(`the second daemon's image store is not empty: ${left}`);
    const before = load();
    const t0 = performance.now();
    const r = await execa('node', ['harness/cli/bin.js', 'conformance', values.suite!, '--images', 'pull', '--registry-mirror', tb.mirror, '--node-image', tb.nodeImage, '--name', values.name!, '--nodes', values.nodes!, '--reports', 'reports/bench-pull-first-report'], {
      reject: false,
      all: true,
      env: { CI: 'true', DOCKER_HOST: d2.host },
    });
    const secs = (performance.now() - t0) / 1000;
    say(`run ${i + 1}/${runs}: exit ${r.exitCode} in ${secs.toFixed(1)}s (load before ${before}, after ${load()})`);
    if (r.exitCode !== 0) {
      say(String(r.all ?? '').split('\n').slice(-20).join('\n'));
      failed = true;
      break;
    }
    const phases = String(r.all ?? '').split('\n').filter((l) => /pulling|cluster ready|registry mirror|images:|report|passed/.test(l));
    for (const p of phases) say(`    ${p.trim()}`);
    times.push(secs);
  }
} finally {
  await execa('node', ['harness/cli/bin.js', 'cluster', 'down', '--name', values.name!], { reject: false, env: { CI: 'true', DOCKER_HOST: d2.host } });
  await d2.stop();
  await tb.stop();
}
if (failed || !times.length) process.exit(1);
const t = summarizeRuns(`conformance ${values.suite} (--images pull via ${tb.mirror}, empty image store, ${values.nodes} nodes)`, times);
printTable([t]);
process.stdout.write(`goal: <= ${goal}s median: ${t.median <= goal ? 'met' : 'NOT met'}; load average now ${load()}\n`);
