// The `serviceDistribution` check: K netexec endpoints behind a ClusterIP
// Service, one client pod opening M new connections (one request each) to the
// ClusterIP, counting which endpoint answered. See evaluate.ts for the verdict.
import type { ServiceDistributionSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { ANSWER_SLACK_SEC, curlScript, httpUrl, parseCurlOutput, type CurlJob, type CurlOutput } from '../common/probe-curl.ts';
import { clientPod, LABEL_CHECK, probeLabels, serverPod, service } from '../common/probe-manifests.ts';
import { createTracked, execScript, waitPodsReady, waitSlices } from '../common/probe-workload.ts';
import { readyEndpoints } from '../common/probe-slices.ts';
import { answerPath, tallyAnswers, type Tally } from './answers.ts';
import { formatP } from './chisquare.ts';
import { evaluateDistribution } from './evaluate.ts';
import { describeWarmUp, warmUp } from './warmup.ts';
import { distributionNames, endpointLabels, endpointSelector } from './workload.ts';
import { changeWords, SliceWatch, type EndpointChange } from './slice-watch.ts';
import { blameWords, secondClient } from './second-client.ts';

const SERVICE_PORT = 80;
const WORKERS = 5;
const WARMUP_MAX_MS = 30_000;
const DEFAULT_READY_MS = 60_000;

export const serviceDistributionCheck: CheckDefinition<ServiceDistributionSpec> = {
  kind: 'serviceDistribution',
  proves: 'new connections to a ClusterIP reach every endpoint, spread uniformly (chi-square), or stick to one endpoint with sessionAffinity ClientIP',
  standalone: true,
  needs: () => ({ minNodes: 1 }),
  async run(spec, ctx) {
    const replicas = spec.replicas ?? 3;
    const requests = spec.requests ?? 300;
    const alpha = spec.alpha ?? 0.001;
    const affinity = spec.sessionAffinity ?? 'None';
    const maxTimeSec = parseDuration(spec.requestTimeout ?? '2s') / 1000;
    const names = distributionNames(spec.name ?? spec.kind, replicas, ctx.attempt);
    const involved: ObjectRef[] = [...names.endpoints, names.client].map((name) => ({ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace }));
    involved.push({ apiVersion: 'v1', kind: 'Service', name: names.service, namespace: ctx.namespace });

    ctx.log(`creating Service ${names.service} over ${replicas} endpoints`);
    const svc = await createTracked<KubeObject & { spec?: { clusterIP?: string } }>(
      ctx,
      service({
        name: names.service,
        namespace: ctx.namespace,
        labels: probeLabels(names.base, 'service'),
        selector: endpointSelector(names.base),
        port: SERVICE_PORT,
        ...(affinity === 'ClientIP' ? { sessionAffinity: 'ClientIP' as const } : {}),
      }),
    );
    const clusterIP = svc.spec?.clusterIP;
    if (!clusterIP || clusterIP === 'None') throw new Error(`Service ${names.service} got no ClusterIP`);
    const common = { namespace: ctx.namespace, image: ctx.images.agnhost };
    await Promise.all([
      ...names.endpoints.map((name) => createTracked(ctx, serverPod({ ...common, name, labels: endpointLabels(names.base), spread: endpointSelector(names.base) }))),
      createTracked(ctx, clientPod({ ...common, name: names.client, labels: probeLabels(names.base, 'client') })),
    ]);

    const readyMs = Math.min(spec.readyTimeout ? parseDuration(spec.readyTimeout) : DEFAULT_READY_MS, ctx.remainingMs());
    const started = Date.now();
    ctx.log(`waiting for ${replicas} endpoints and the client to be Ready`);
    const ready = await waitPodsReady(ctx, [...names.endpoints, names.client], `${LABEL_CHECK}=${names.base}`, readyMs);
    if (ready.notReady.length > 0) {
      return {
        status: 'fail',
        reason: `${ready.notReady.map((p) => `pod ${p.name} not Ready: ${p.state}`).join('; ')} (after ${Math.round(ready.waitedMs / 1000)}s)`,
        involved,
      };
    }

    ctx.log(`waiting for the Service to list its ${replicas} endpoints`);
    const slices = await waitSlices(ctx, names.service, names.endpoints, Math.max(1_000, readyMs - (Date.now() - started)));
    const listed = readyEndpoints(slices);
    const notInSlice = names.endpoints.filter((e) => !listed.includes(e));
    const strangers = listed.filter((e) => !names.endpoints.includes(e));

    // kube-proxy programs the node a moment after the EndpointSlice changes and
    // that cannot be watched: warm up (not counted) until every endpoint answered.
    ctx.log('warming up');
    const want = affinity === 'ClientIP' ? 1 : replicas - notInSlice.length;
    const warm = await warmUp(
      async (round) => {
        const out = await runJobs(ctx, names.client, workers(`u${round}`, 3, replicas * 3, ctx.nonce, clusterIP), maxTimeSec, 20);
        const seen = tallyAnswers(out ? [out] : [], { nonce: ctx.nonce, endpoints: names.endpoints }).counts;
        return [...seen.values()].filter((n) => n > 0).length;
      },
      want,
      Math.min(WARMUP_MAX_MS, Math.max(0, ctx.remainingMs() - 30_000)),
    );
    const warmText = describeWarmUp(warm, want);
    ctx.log(`warm-up: ${warmText}`);

    // The slices are watched through the measurement: an endpoint that leaves or joins is named, with the moment.
    const watch = SliceWatch.start(ctx.kube, ctx.namespace, names.service, listed, ctx.signal);
    ctx.log(`sending ${requests} requests to ${clusterIP}:${SERVICE_PORT} (watching the Service's endpoints)`);
    const budgetSec = Math.max(5, (ctx.remainingMs() - 15_000) / 1000);
    watch.mark();
    const out = await runJobs(ctx, names.client, workers('w', WORKERS, requests, ctx.nonce, clusterIP), maxTimeSec, budgetSec);
    // No output at all is the probe lost (its pod evicted or the exec cut), not
    // requests the cluster failed: undecided, never "time ran out".
    const lost = () => new Error(`the request loop in client pod ${names.client} printed nothing: the probe was lost before it could report (pod evicted or deleted, or the exec cut short)`);
    if (!out) throw lost();
    // Answers from a pod the Service also selects are counted under its name, not just rejected.
    const tallyOf = (o: CurlOutput) => tallyAnswers([o], { nonce: ctx.nonce, endpoints: [...names.endpoints, ...strangers], lateMs: maxTimeSec * 1000 });
    const tally = tallyOf(out);
    const judge = (changes: EndpointChange[], confirmation?: Tally) =>
      evaluateDistribution({ tally, requests, alpha, sessionAffinity: affinity, notInSlice, strangers, changes, ...(confirmation ? { confirmation } : {}) });
    // A skew in the first sample is confirmed or dismissed by a second one (evaluate.ts: alpha stays the false-alarm rate).
    let confirmation: Tally | undefined;
    const first = judge(watch.seen());
    if (first.needsConfirmation) {
      ctx.log(`counts ${first.countsText} (p=${formatP(first.chi?.pValue ?? Number.NaN)}) reject uniformity at sqrt(alpha): a second sample of ${requests} requests decides`);
      const again = await runJobs(ctx, names.client, workers('c', WORKERS, requests, ctx.nonce, clusterIP), maxTimeSec, Math.max(5, (ctx.remainingMs() - 15_000) / 1000));
      if (!again) throw lost();
      confirmation = tallyOf(again);
    }
    const changes = await watch.stop();
    for (const c of changes) ctx.log(changeWords(c));
    const v = judge(changes, confirmation);
    if (v.undecided) throw new Error(v.undecided);

    const evidence: Evidence[] = [
      {
        kind: 'counts',
        title: `answers per endpoint (${requests} new connections to ${names.service} ${clusterIP}:${SERVICE_PORT})`,
        counts: Object.fromEntries(tally.counts),
        ...(v.chi ? { expected: v.chi.expected, statistic: v.chi.statistic, pValue: v.chi.pValue } : {}),
      },
      ...(confirmation
        ? [{
            kind: 'counts' as const,
            title: `answers per endpoint, second sample (${requests} more new connections: the first one's counts rejected uniformity at sqrt(alpha))`,
            counts: Object.fromEntries(confirmation.counts),
            ...(v.confirmationChi ? { expected: v.confirmationChi.expected, statistic: v.confirmationChi.statistic, pValue: v.confirmationChi.pValue } : {}),
          }]
        : []),
      {
        kind: 'table',
        title: 'test',
        columns: ['requests (M)', 'endpoints (K)', 'alpha', 'sessionAffinity', 'answered', 'no answer', 'invalid', 'chi-square', 'p-value'],
        rows: [
          [
            requests,
            replicas,
            alpha,
            affinity,
            [...tally.counts.values()].reduce((a, b) => a + b, 0),
            [...tally.failed.values()].reduce((a, b) => a + b, 0),
            [...tally.invalid.values()].reduce((a, b) => a + b, 0),
            v.chi ? Number(v.chi.statistic.toFixed(3)) : 'n/a',
            v.chi ? formatP(v.chi.pValue) : 'n/a',
          ],
        ],
      },
    ];
    evidence.push({ kind: 'text', title: 'warm-up', text: warmText });
    if (changes.length > 0) evidence.push({ kind: 'text', title: 'endpoints that moved during the measurement', text: changes.map(changeWords).join('\n') });
    if (strangers.length > 0) evidence.push({ kind: 'text', title: 'other endpoints', text: `The Service also lists ready endpoints this check did not create: ${strangers.join(', ')}` });
    const late = tally.late ? ` (${tally.late} answered after more than ${maxTimeSec}s, slowest ${((tally.slowestMs ?? 0) / 1000).toFixed(2)}s: late, not lost)` : '';
    if (v.ok) return { status: 'pass', reason: `${v.summary}${late}`, evidence };
    evidence.push({ kind: 'text', title: 'problems', text: v.problems.join('\n') });
    // Which side is at fault: a smaller round from a client on another node.
    let blame: string | undefined;
    if (affinity === 'None') {
      const b = await secondClient(ctx, names.base, names.client).catch(() => undefined);
      if (b) {
        ctx.log(`asking again from a client on ${b.node} (the first ran on ${b.firstNode})`);
        const again = await runJobs(ctx, b.pod, workers('b', 3, replicas * 10, ctx.nonce, clusterIP), maxTimeSec, Math.max(5, Math.min(30, (ctx.remainingMs() - 10_000) / 1000)));
        const second = tallyAnswers(again ? [again] : [], { nonce: ctx.nonce, endpoints: names.endpoints });
        blame = blameWords({ firstNode: b.firstNode, secondNode: b.node, first: tally, second }, names.endpoints.filter((e) => !changes.some((c) => c.endpoint === e)));
        evidence.push({ kind: 'counts', title: `answers per endpoint from a second client on ${b.node} (${second.made} requests)`, counts: Object.fromEntries(second.counts) });
      }
    }
    return {
      status: 'fail',
      reason: `${blame && blame.includes('the first client') ? `${blame}; ` : ''}${v.problems[0]}${v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : ''}${blame && !blame.includes('the first client') ? `; ${blame}` : ''}`,
      evidence,
      involved,
      assertions: [
        { name: 'every request answered by an endpoint', passed: tally.failed.size === 0 && tally.invalid.size === 0 && tally.made === requests },
        affinity === 'ClientIP'
          ? { name: 'all answers from one endpoint', passed: [...tally.counts.values()].filter((n) => n > 0).length === 1 }
          : { name: 'every endpoint answered', passed: [...tally.counts.values()].every((n) => n > 0) },
        ...(affinity === 'None' ? [{ name: `counts fit uniform (chi-square, alpha ${alpha}: two samples each below sqrt(alpha) to reject)`, passed: !v.problems.some((p) => p.startsWith('counts do not fit uniform')) }] : []),
      ],
    };
  },
};

/** `count` requests split over `n` parallel workers named <prefix>0.. */
function workers(prefix: string, n: number, count: number, nonce: string, ip: string): CurlJob[] {
  const k = Math.max(1, Math.min(n, count));
  return Array.from({ length: k }, (_, i) => {
    const id = `${prefix}${i}`;
    return { id, urls: [httpUrl(ip, SERVICE_PORT, answerPath(nonce, id))], count: Math.floor(count / k) + (i < count % k ? 1 : 0) };
  });
}

async function runJobs(ctx: CheckContext, pod: string, jobs: CurlJob[], maxTimeSec: number, budgetSec: number): Promise<CurlOutput | undefined> {
  const script = curlScript({ jobs, stopOnSuccess: false, maxTimeSec, answerSlackSec: ANSWER_SLACK_SEC, deadlineSec: budgetSec });
  const res = await execScript(ctx, pod, script, (budgetSec + maxTimeSec + ANSWER_SLACK_SEC + 20) * 1000);
  const text = res.stdout + (res.stderr ? `\n${res.stderr}` : '');
  return text.trim() ? parseCurlOutput(text) : undefined;
}
