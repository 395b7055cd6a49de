import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './harness/testing/sequencer.ts';
import { NPM_TEST_SCRATCH_PREFIX } from './harness/testing/scratch-tmp.ts';

// The tests make temporary folders (fake PATHs, empty caches, browser profiles).
// `npm test` gives its tiers one scratch TMPDIR; vitest run any other way makes
// its own here (its workers inherit it) and removes it when it exits.
if (!path.basename(os.tmpdir()).startsWith(NPM_TEST_SCRATCH_PREFIX)) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kconform-vitest-'));
  process.env['TMPDIR'] = scratch;
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
}

// Three tiers: unit (no cluster), api (a real kube-apiserver + etcd in
// containers), cluster (a real kind testbed cluster: projects `cluster` and
// `cluster-serial`). `npm test` runs all three; the api and cluster tiers skip
// with a printed reason where Docker cannot run.
const DISRUPTIVE = [
  'harness/checks/nodes/nodes.cluster.test.ts',
  'harness/checks/dns/dns.cluster.test.ts',
  'harness/checks/podNetwork/podNetwork.cluster.test.ts',
  'harness/checks/eviction/eviction.cluster.test.ts',
  'harness/checks/scheduling/scheduling.cluster.test.ts',
  'harness/grade/rbac.cluster.test.ts',
  'harness/run/diagnosis.cluster.test.ts',
  // Builds kind from source (both cores for a minute): alone, so timing-sensitive checks beside it keep their budgets.
  'harness/cli/fresh-machine.cluster.test.ts',
];

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.api.test.ts', '**/*.cluster.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'api',
          include: ['harness/**/*.api.test.ts'],
          globalSetup: ['harness/testing/api-server.setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Tests that keep to their own namespace: three files at a time.
        test: {
          name: 'cluster',
          include: ['harness/**/*.cluster.test.ts'],
          exclude: [...DISRUPTIVE, '**/node_modules/**'],
          globalSetup: ['harness/testing/cluster.setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: true,
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Tests that disturb the whole cluster (a stopped kubelet, CoreDNS at 0,
        // a blackholed route, a drained or tainted node) or share namespace lab1:
        // one at a time, after the parallel ones.
        test: {
          name: 'cluster-serial',
          include: DISRUPTIVE,
          globalSetup: ['harness/testing/cluster.setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
