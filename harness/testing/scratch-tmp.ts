// The tests' temporary folders go under one scratch TMPDIR per run: `npm test`
// (test-all.ts) makes it for every tier; vitest run directly makes its own
// (vitest.config.ts) unless it already runs inside the former.

/** Name prefix of the scratch folder `npm test` gives its tiers. */
export const NPM_TEST_SCRATCH_PREFIX = 'kconform-npm-test-';
