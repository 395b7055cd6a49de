import { describe, expect, it } from 'vitest';
import { sweepNodes } from './sweep-nodes.ts';
import { removeLeftoverMarks } from '../scheduling/node-marks.ts';
import { FakeKube } from '../../testing/fake-kube.ts';

function cluster(): FakeKube {
  const k = new FakeKube();
  const node = (name: string, annotations: Record<string, string>, labels: Record<string, string>, taints: { key: string; value?: string; effect: string }[], unschedulable = false) =>
    k.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, annotations, labels }, spec: { taints, unschedulable } } as never);
  void node('w1', { 'kconform.io/cordoned-by': 'old123' }, {}, [{ key: 'kconform.io/evict-test-old123', effect: 'NoExecute' }], true);
  void node('w2', {}, { 'kconform.io/sched-old456': 'x' }, [{ key: 'kconform.io/evict-test-old456', effect: 'NoExecute' }, { key: 'kconform.io/sched-old456', value: 'x', effect: 'NoSchedule' }]);
  return k;
}

// `kconform clean --run ID` is the command every leftover message names: it must reach node marks too.
describe('clean --run on node marks (dry run)', () => {
  it('lists only the named run\'s cordons and taints', async () => {
    const lines: string[] = [];
    expect(await sweepNodes(cluster().asKube(), { dryRun: true, log: (l) => lines.push(l), onlyRun: 'old123' })).toBe(1);
    expect(lines).toEqual(['would w1: uncordon (marked by run old123), remove taint kconform.io/evict-test-old123:NoExecute']);
    lines.length = 0;
    expect(await sweepNodes(cluster().asKube(), { dryRun: true, log: (l) => lines.push(l), onlyRun: 'old456' })).toBe(1);
    expect(lines).toEqual(['would w2: remove taint kconform.io/evict-test-old456:NoExecute']);
  });

  it('lists only the named run\'s scheduling labels and taints', async () => {
    const lines: string[] = [];
    expect(await removeLeftoverMarks(cluster().asKube(), (l) => lines.push(l), true, 'old123')).toBe(0);
    expect(await removeLeftoverMarks(cluster().asKube(), (l) => lines.push(l), true, 'old456')).toBe(1);
    expect(lines).toEqual(['would remove from node w2: label kconform.io/sched-old456, taint kconform.io/sched-old456=x:NoSchedule']);
  });
});
