// kube-proxy's KUBE-SVC probabilities for K = 2, 3 and 5 endpoints, read from
// real nodes by the `service` check (mode proxyRules), next to the number of new
// connections each endpoint answered. Each row: the rule's probability as
// iptables prints it, what it should be (1/(K-i)), the share of connections it
// gets (p_i times what the rules before it leave), and the measured count.
//
//   npx node bench/classic-proxy-rules.ts --kubeconfig <path> [--k 2,3,5] [--requests 300]
import { parseArgs } from 'node:util';
import { TestCluster } from '../harness/checks/common/test-context.ts';
import { serviceCheck } from '../harness/checks/service/check.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    k: { type: 'string', default: '2,3,5' },
    requests: { type: 'string', default: '300' },
  },
});
if (!values.kubeconfig) throw new Error('give --kubeconfig (or set KUBECONFIG)');
const ks = values.k.split(',').map(Number);
const requests = Number(values.requests);

const tc = await TestCluster.open(values.kubeconfig, 'proxy-rules');
let failed = 0;
try {
  for (const k of ks) {
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'proxyRules', name: `k${k}`, replicas: k, requests }, 180_000);
    process.stdout.write(`\nK=${k}: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s\n  ${r.outcome.reason}\n`);
    if (r.outcome.status !== 'pass') failed++;
    for (const e of r.outcome.evidence ?? []) {
      if (e.kind !== 'table') continue;
      process.stdout.write(`\n  ${e.title}\n  | ${e.columns.join(' | ')} |\n  |${e.columns.map(() => '---').join('|')}|\n`);
      for (const row of e.rows) process.stdout.write(`  | ${row.join(' | ')} |\n`);
    }
  }
} finally {
  await tc.close();
}
process.exitCode = failed > 0 ? 1 : 0;
