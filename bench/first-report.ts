// Time to first report: `kconform conformance` from the command to a written
// report, cluster up and down included, as a new user meets it.
//
//   npx node bench/first-report.ts [--mode build|pull] [--registry-mirror URL] [--runs 3]
//                                  [--suite suites/nodes.yaml] [--name kc-bench] [--nodes 3]
//
// --mode build (warm): the offline-built images are in Docker and the cache is
//   warm; goal <= 150 s.
// --mode pull: `--images pull`, through --registry-mirror when given (e.g. the
//   loopback registry of harness/testing/loopback-registry.ts, holding images
//   built here under their upstream names); goal <= 180 s. Empty Docker's image
//   store of those names first for the honest figure.
// Prints one table (median, min, max of the runs) and the goal it is held to.
import { parseArgs } from 'node:util';
import { printTable, summarizeRuns } from './timing.ts';
import { execa } from 'execa';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'build' },
    'registry-mirror': { type: 'string' },
    'node-image': { type: 'string' },
    runs: { type: 'string', default: '3' },
    suite: { type: 'string', default: 'suites/nodes.yaml' },
    name: { type: 'string', default: 'kc-bench' },
    nodes: { type: 'string', default: '3' },
  },
});
const mode = values.mode === 'pull' ? 'pull' : 'build';
const runs = Math.max(1, Number(values.runs) || 3);
const goal = mode === 'pull' ? 180 : 150;
const args = [
  'kconform', 'conformance', values.suite!, '--name', values.name!, '--nodes', values.nodes!, '--reports', `reports/bench-first-report`, '--images', mode,
  ...(values['registry-mirror'] ? ['--registry-mirror', values['registry-mirror']] : []),
  ...(values['node-image'] ? ['--node-image', values['node-image']] : []),
];
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = await execa('npx', args, { reject: false, all: true, env: { CI: 'true' } });
  const secs = (performance.now() - t0) / 1000;
  process.stderr.write(`  run ${i + 1}/${runs}: exit ${r.exitCode} in ${secs.toFixed(1)}s\n`);
  if (r.exitCode !== 0) {
    process.stderr.write(`${String(r.all ?? '').split('\n').slice(-15).join('\n')}\n`);
    process.exit(1);
  }
  times.push(secs);
}
const t = summarizeRuns(`conformance ${values.suite} (--images ${mode}${values['registry-mirror'] ? ` via ${values['registry-mirror']}` : ''}, ${values.nodes} nodes)`, times);
printTable([t]);
process.stdout.write(`goal: <= ${goal}s median: ${t.median <= goal ? 'met' : 'NOT met'}\n`);
