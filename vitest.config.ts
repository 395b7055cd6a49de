import { defineConfig } from 'vitest/config';

// Three tiers: unit (no cluster), api (a real kube-apiserver + etcd in containers),
// cluster (a real kind testbed cluster). `npm test` runs all three; the api and
// cluster tiers skip with a printed reason where Docker cannot run.
export default defineConfig({
  test: {
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
        test: {
          name: 'cluster',
          include: ['harness/**/*.cluster.test.ts'],
          globalSetup: ['harness/testing/cluster.setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
