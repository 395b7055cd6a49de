import { describe, expect, it } from 'vitest';
import { matches, matchPartial, prune, show } from './match.ts';

const pod = {
  metadata: { name: 'files', labels: { app: 'files', 'app.kubernetes.io/name': 'lab1' } },
  spec: {
    containers: [
      { name: 'fileserver', ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'shared', mountPath: '/uploads' }] },
      { name: 'downloader', ports: [{ containerPort: 6800 }, { containerPort: 6880 }], volumeMounts: [{ name: 'shared', mountPath: '/uploads' }] },
    ],
    volumes: [{ name: 'shared', emptyDir: {} }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ restartCount: 0 }, { restartCount: 2 }] },
};

describe('matchPartial', () => {
  it('matches maps partially: only the written keys count', () => {
    expect(matches({ metadata: { name: 'files' } }, pod)).toBe(true);
    expect(matches({ metadata: { name: 'other' } }, pod)).toBe(false);
  });

  it('compares scalars by value across YAML representations', () => {
    expect(matches({ status: { conditions: [{ type: 'Ready', status: true }] } }, pod)).toBe(true);
    expect(matches({ spec: { containers: [{ ports: [{ containerPort: '80' }] }] } }, pod)).toBe(true);
    expect(matches({ status: { phase: 'running' } }, pod)).toBe(false);
  });

  it('one leaf per written scalar, with path, expectation and what was found', () => {
    const leaves = matchPartial({ metadata: { name: 'files', labels: { 'app.kubernetes.io/name': 'lab2' } } }, pod);
    expect(leaves).toEqual([
      { path: 'metadata.name', expected: '= files', passed: true },
      { path: 'metadata.labels["app.kubernetes.io/name"]', expected: '= lab2', passed: false, actual: 'lab1' },
    ]);
  });

  it('a missing field fails with "nothing"', () => {
    expect(matchPartial({ spec: { nodeName: 'w1' } }, pod)).toEqual([{ path: 'spec.nodeName', expected: '= w1', passed: false, actual: 'nothing' }]);
  });

  it('a plain list needs a distinct matching element for each written element, in any order', () => {
    expect(matches({ spec: { containers: [{ name: 'downloader' }, { name: 'fileserver' }] } }, pod)).toBe(true);
    // Two expected elements cannot both use the single "shared" volume.
    const leaves = matchPartial({ spec: { volumes: [{ name: 'shared' }, { name: 'shared' }] } }, pod);
    expect(leaves.map((l) => l.passed)).toEqual([true, false]);
    expect(leaves[1]?.actual).toMatch(/already matched/);
  });

  it('a list element that matches nowhere names the closest element and its first difference', () => {
    const [leaf] = matchPartial({ spec: { containers: [{ name: 'downloader', ports: [{ containerPort: 6801 }] }] } }, pod);
    expect(leaf?.passed).toBe(false);
    expect(leaf?.actual).toBe('no element matches (2 elements); closest [1] differs at ports[]: expected contains {containerPort: 6801}, got no element matches (2 elements); closest [0] differs at containerPort: expected = 6801, got 6800');
  });

  it('$count, $minCount and $maxCount measure lists', () => {
    expect(matches({ spec: { containers: { $count: 2 } } }, pod)).toBe(true);
    const [leaf] = matchPartial({ spec: { containers: { $count: 3 } } }, pod);
    expect(leaf).toEqual({ path: 'spec.containers', expected: '3 item(s)', passed: false, actual: '2 item(s)' });
    expect(matches({ spec: { volumes: { $minCount: 1, $maxCount: 1 } } }, pod)).toBe(true);
    expect(matchPartial({ spec: { initContainers: { $count: 1 } } }, pod)[0]?.actual).toBe('nothing');
  });

  it('$all: every container mounts the shared volume', () => {
    const expectation = { spec: { containers: { $all: { volumeMounts: { $some: { name: 'shared' } } } } } };
    expect(matches(expectation, pod)).toBe(true);
    const single = { spec: { containers: [pod.spec.containers[0], { name: 'downloader', volumeMounts: [{ name: 'scratch' }] }] } };
    const [leaf] = matchPartial(expectation, single);
    expect(leaf?.passed).toBe(false);
    expect(leaf?.actual).toMatch(/^element \[1\] differs at volumeMounts: expected some element matches \{name: shared\}, got no element matches/);
  });

  it('$all fails on an empty or missing list; $none passes on it', () => {
    expect(matches({ spec: { initContainers: { $all: { name: 'x' } } } }, pod)).toBe(false);
    expect(matches({ spec: { initContainers: { $none: { name: 'x' } } } }, pod)).toBe(true);
    expect(matches({ spec: { containers: { $none: { name: 'fileserver' } } } }, pod)).toBe(false);
  });

  it('$some: some condition is Ready=True', () => {
    expect(matches({ status: { conditions: { $some: { type: 'Ready', status: 'True' } } } }, pod)).toBe(true);
    expect(matches({ status: { conditions: { $some: { type: 'Ready', status: 'False' } } } }, pod)).toBe(false);
  });

  it('$regex, $contains, $in, $eq, $not, $exists and comparisons', () => {
    expect(matches({ metadata: { name: { $regex: '^fil' } } }, pod)).toBe(true);
    expect(matches({ metadata: { name: { $contains: 'ile' } } }, pod)).toBe(true);
    expect(matches({ status: { phase: { $in: ['Running', 'Succeeded'] } } }, pod)).toBe(true);
    expect(matches({ metadata: { labels: { $eq: { app: 'files' } } } }, pod)).toBe(false);
    expect(matches({ spec: { volumes: [{ emptyDir: { $eq: {} } }] } }, pod)).toBe(true);
    expect(matches({ status: { phase: { $not: 'Pending' } } }, pod)).toBe(true);
    expect(matches({ spec: { nodeName: { $exists: false } } }, pod)).toBe(true);
    expect(matches({ metadata: { name: { $exists: true } } }, pod)).toBe(true);
    expect(matches({ status: { containerStatuses: { $all: { restartCount: { $lte: 2 } } } } }, pod)).toBe(true);
    expect(matches({ status: { containerStatuses: { $all: { restartCount: { $lt: 2 } } } } }, pod)).toBe(false);
    expect(matches({ status: { containerStatuses: { $some: { restartCount: { $gt: 1 } } } } }, pod)).toBe(true);
  });

  it('an empty map asserts a map is there', () => {
    expect(matches({ spec: {} }, pod)).toBe(true);
    expect(matchPartial({ spec: { securityContext: {} } }, pod)).toEqual([{ path: 'spec.securityContext', expected: 'a map', passed: false, actual: 'nothing' }]);
  });
});

describe('prune', () => {
  it('keeps only the asserted fields, and list elements pruned to their matchers', () => {
    const expectation = { metadata: { name: 'files' }, spec: { containers: { $count: 2, $all: { volumeMounts: { $some: { name: 'shared' } } } } } };
    expect(prune(expectation, pod)).toEqual({
      metadata: { name: 'files' },
      spec: { containers: [{ volumeMounts: [{ name: 'shared' }] }, { volumeMounts: [{ name: 'shared' }] }] },
    });
  });

  it('a plain list prunes each actual element to the union of the written elements', () => {
    expect(prune({ spec: { containers: [{ name: 'x' }, { ports: [{ containerPort: 1 }] }] } }, pod)).toEqual({
      spec: { containers: [{ name: 'fileserver', ports: [{ containerPort: 80 }] }, { name: 'downloader', ports: [{ containerPort: 6800 }, { containerPort: 6880 }] }] },
    });
  });
});

describe('show', () => {
  it('renders compact flow text and cuts long values', () => {
    expect(show({ name: 'shared', port: 80, on: true, v: '80' })).toBe('{name: shared, port: 80, on: true, v: "80"}');
    expect(show('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});
