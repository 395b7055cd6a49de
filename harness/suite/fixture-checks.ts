// Load-time checks of a suite's fixtures, so a missing manifest or an unknown
// template variable fails before any cluster work: each fixture is rendered with
// placeholder builtins and parsed, exactly as the planner will later.
import type { Suite } from './schema.ts';
import { loadFixture } from './fixtures.ts';
import { SuiteError } from './problems.ts';
import type { SuiteProblem } from './problems.ts';
import { templateVars } from './template.ts';
import type { TextOrigin } from './template.ts';

export async function checkFixtures(suite: Suite, origins: readonly TextOrigin[], suiteDir: string, fixturesDir?: string): Promise<SuiteProblem[]> {
  const vars = templateVars({ namespace: `kconform-${suite.name}-check`, runId: 'check', nonce: 'check', suite: suite.name, agnhostImage: 'agnhost:check' }, suite.vars);
  const problems: SuiteProblem[] = [];
  for (const [i, fixture] of (suite.fixtures ?? []).entries()) {
    try {
      await loadFixture(fixture, { suiteDir, vars, ...(fixturesDir ? { fixturesDir } : {}), ...(origins[i] ? { origin: origins[i] } : {}) });
    } catch (e) {
      if (!(e instanceof SuiteError)) throw e;
      problems.push(...e.problems);
    }
  }
  return problems;
}
