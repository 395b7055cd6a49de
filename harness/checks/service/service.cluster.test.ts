// The `service` check on the real kind testbed: each mode passes on a healthy
// cluster, and each broken case fails with its own reason:
// - a selector typo (Service app=web, pods app=webapp): named with the near miss;
// - a readiness probe that starts failing (a grader's Service, minReady 2): the
//   pod is named with the kubelet's probe message;
// - a NodePort blocked on one node (a DROP rule in that kind node's raw table,
//   before kube-proxy's DNAT; INPUT would not see it): the node is named.
// The proxyRules test prints the KUBE-SVC probabilities read from a real node.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { probeImages } from '../../images/probe-images.ts';
import { podReady, podState, type NodeObject, type PodObject } from '../../kube/objects.ts';
import { onNode, TestCluster } from '../common/test-context.ts';
import { waitPodsReady } from '../common/probe-workload.ts';
import { serviceCheck } from './check.ts';
import { READ_ONLY_SKIP } from './proxy-rules.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const say = (what: string, r: { outcome: { status: string; reason: string }; durationMs: number }) =>
  process.stdout.write(`    service ${what}: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);

describe.skipIf(!kubeconfig)(`service on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'service');
  });
  afterAll(async () => {
    await tc?.close();
  });

  /** Bare agnhost netexec pods with these labels, Ready once /tmp/ready exists (created at start). */
  async function webPods(names: string[], labels: Record<string, string>): Promise<void> {
    for (const name of names) {
      await tc.kube.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: tc.namespace, labels: { ...labels, 'kconform.io/check': 'svc-test' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: probeImages().agnhost,
              command: ['sh', '-c', 'touch /tmp/ready && exec /agnhost netexec --http-port=8080'],
              readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      });
    }
    const { ctx } = tc.context(90_000);
    const ready = await waitPodsReady(ctx, names, 'kconform.io/check=svc-test', 90_000);
    expect(ready.notReady).toEqual([]);
  }

  async function service(name: string, selector: Record<string, string>): Promise<void> {
    await tc.kube.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: tc.namespace }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  }

  it('endpoints: 3 Ready pods = 3 endpoints; a failing readiness probe takes a pod out and back in, timed', async () => {
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'endpoints', name: 'ep' }, 120_000);
    say('endpoints', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^3 Ready pods = 3 ready endpoints; ep-\S+ left the endpoints \d+\.\ds after its readiness probe began failing and came back \d+\.\ds after it passed \(bound 6\.0s\)$/);
    const flip = r.outcome.evidence?.find((e) => e.kind === 'table' && e.title.startsWith('readiness flip'));
    expect(flip && flip.kind === 'table' ? flip.rows.flat().filter((c) => /^\d+\.\ds$/.test(String(c))).length : 0).toBe(4);
    expect(r.cleanupFailures).toEqual([]);
  });

  it('endpoints of an existing Service: a selector typo is named with what the pods carry, not a timeout', async () => {
    await webPods(['webapp-1', 'webapp-2'], { app: 'webapp' });
    await service('web', { app: 'web' });
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'endpoints', name: 'typo', service: 'web' }, 60_000);
    say('selector typo', r);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toBe('selector app=web matches no pod; pods carry app=webapp (webapp-1, webapp-2)');
    expect(r.durationMs).toBeLessThan(20_000);
  });

  it('endpoints of an existing Service: a pod whose readiness probe starts failing is named (minReady 2)', async () => {
    await webPods(['shop-1', 'shop-2'], { app: 'shop' });
    await service('shop', { app: 'shop' });
    const ok = await tc.run(serviceCheck, { kind: 'service', mode: 'endpoints', name: 'shop-ok', service: 'shop', minReady: 2 }, 60_000);
    expect(ok.outcome.reason).toBe('Service shop: its EndpointSlices hold exactly the 2 Ready pods matching app=shop');
    // The probe of shop-2 starts failing.
    await tc.kube.exec({ namespace: tc.namespace, name: 'shop-2' }, ['rm', '/tmp/ready']);
    await tc.kube.waitFor<PodObject>('v1', 'Pod', { namespace: tc.namespace, name: 'shop-2' }, ([p]) => ({ done: !!p && !podReady(p), observed: p ? podState(p) : 'gone' }), {
      description: 'pod shop-2 to turn not Ready',
      timeoutMs: 30_000,
    });
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'endpoints', name: 'shop', service: 'shop', minReady: 2, settle: '10s' }, 60_000);
    say('readiness starts failing', r);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(
      /^Service shop: 1\/2 pods matching app=shop are Ready \(expected at least 2\): shop-2 not Ready \(Readiness probe failed: .*\); the endpoints rightly list only the Ready ones$/,
    );
    expect(r.outcome.assertions).toEqual([
      { name: 'the selector matches pods', passed: true },
      { name: 'EndpointSlices hold exactly the Ready pods', passed: true },
      { name: 'at least 2 Ready endpoints', passed: false },
    ]);
  });

  it('ports: every named port answers with the nonce from its own target port', async () => {
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'ports', name: 'ports' }, 120_000);
    say('ports', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toBe('Service ports answers on http 80->8080, rpc 6800->6800, peer 6880->6880, each echoing the nonce from its own target port');
  });

  it('nodePort: answers on every node; blocked on one node (DROP in its raw table) that node is named', async () => {
    const healthy = await tc.run(serviceCheck, { kind: 'service', mode: 'nodePort', name: 'np' }, 120_000);
    say('nodePort', healthy);
    expect(healthy.outcome.status, healthy.outcome.reason).toBe('pass');
    expect(healthy.outcome.reason).toMatch(/^NodePort \d+ answers on 3\/3 nodes \(.+\) from clients on \S+, \S+, \S+ \(pods .+\), each echoing the nonce$/);

    const nodes = await tc.kube.list<NodeObject>('v1', 'Node');
    const victim = nodes.map((n) => n.metadata.name!).sort().at(-1)!;
    const ip = nodes.find((n) => n.metadata.name === victim)!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    const port = 30_000 + Math.floor(Math.random() * 2_700);
    // raw PREROUTING sees the packet before kube-proxy's DNAT (INPUT never would: the DNATed packet is forwarded);
    // -d keeps the client's own node (when it is the victim) reaching the others.
    const rule = ['-t', 'raw', 'PREROUTING', '-d', ip, '-p', 'tcp', '--dport', String(port), '-j', 'DROP'];
    await onNode(victim, ['iptables', rule[0]!, rule[1]!, '-I', ...rule.slice(2)]);
    try {
      const r = await tc.run(serviceCheck, { kind: 'service', mode: 'nodePort', name: 'np-blocked', nodePort: port, settle: '4s', requestTimeout: '1s' }, 120_000);
      say('nodePort blocked on one node', r);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      // Clients on every node: the victim fails from all of them, so it is the target at fault.
      expect(r.outcome.reason).toMatch(new RegExp(`^node ${victim} \\(${ip.replaceAll('.', '\\.')}\\) does not answer at NodePort ${port} from any working client \\(node \\S+, node \\S+, node \\S+\\): timeout \\(\\d+ tries over 4\\.0s; 2/3 nodes answered every client\\)$`));
      expect(r.outcome.assertions?.filter((a) => !a.passed).map((a) => a.name)).toEqual([`node ${victim} answers at the nodePort`]);
    } finally {
      await onNode(victim, ['iptables', rule[0]!, rule[1]!, '-D', ...rule.slice(2)]);
    }
  });

  it('nodePort from a hostNetwork pod: every node answers too', async () => {
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'nodePort', name: 'np-host', from: 'host' }, 120_000);
    say('nodePort from the host network', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const table = r.outcome.evidence?.find((e) => e.kind === 'table');
    expect(table?.title).toMatch(/asked from hostNetwork clients on \S+, \S+, \S+ \(pods np-host-client-0, np-host-client-1, np-host-client-2\)$/);
  });

  it('proxyRules: iptables mode on every node, KUBE-SVC 1/3, 1/2, unconditional, next to counted connections', async () => {
    const r = await tc.run(serviceCheck, { kind: 'service', mode: 'proxyRules', name: 'rules', replicas: 3, requests: 90 }, 150_000);
    say('proxyRules', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^kube-proxy iptables on 3\/3 nodes; KUBE-SVC-\w+ \(K=3\): 0\.33333333349, 0\.50000000000, unconditional on every iptables node; 90 connections: /);
    const table = r.outcome.evidence?.find((e) => e.kind === 'table' && e.title.startsWith('KUBE-SVC-'));
    if (table?.kind === 'table') {
      process.stdout.write(`    ${table.title}\n${table.rows.map((row) => `      ${row.join('  ')}`).join('\n')}\n`);
      expect(table.rows.map((row) => row[3])).toEqual(['0.33333333349', '0.50000000000', 'unconditional']);
    } else expect.fail('no KUBE-SVC table in the evidence');
  });

  it('proxyRules is skipped in read-only mode, saying why', async () => {
    const { ctx } = tc.context(30_000, { readOnly: true });
    const outcome = await serviceCheck.run({ kind: 'service', mode: 'proxyRules' }, ctx);
    expect(outcome).toEqual({ status: 'skip', reason: READ_ONLY_SKIP });
    expect(ctx.cleanup.pending).toBe(0);
  });
});
