// `kconform rbac`: prints the ClusterRole and Roles (with bindings) a grader's
// kubeconfig needs to run the given suites, derived from what the runner and
// each check read and create. No cluster is contacted.
import { type Command } from 'commander';
import { loadSuites, SuiteError } from '../../suite/load.ts';
import { buildPlan } from '../../plan/plan.ts';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import { getCheck } from '../../checks/registry.ts';
import { planColumns } from '../../grade/plan-columns.ts';
import { mergeNeeds, needsOfPlan, renderRbacYaml, type Subject } from '../../grade/rbac.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { DEFAULT_ASSIGNMENTS } from './grade.ts';

interface RbacFlags {
  name: string;
  serviceAccount?: string;
  user?: string;
  readOnly: boolean;
}

export function registerRbac(program: Command): void {
  program
    .command('rbac')
    .description("Print the minimal ClusterRole/Role (and bindings) a grader's kubeconfig needs to run these suites")
    .argument('[suites...]', 'suite files or folders', [DEFAULT_ASSIGNMENTS])
    .option('--name <name>', 'name of the roles and bindings', 'kconform-grader')
    .option('--service-account <namespace/name>', 'bind to this ServiceAccount (default kconform/grader)')
    .option('--user <name>', 'bind to this user instead')
    .option('--no-read-only', 'include what destructive checks need (they are skipped in read-only mode, the default for grading)')
    .action(async (paths: string[], flags: RbacFlags) => {
      let suites;
      try {
        suites = await loadSuites(paths);
      } catch (err) {
        if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
        throw err;
      }
      const plan = await buildPlan({
        suites,
        runId: 'rbac',
        nonce: 'rbac',
        options: { parallel: 1, keep: 'never', readOnly: flags.readOnly, evidence: 'failure' },
        fixturesDir: repoPath('fixtures'),
        images: probeImages(),
      });
      const skipped = new Set(planColumns(plan, (spec) => getCheck(spec.kind).needs(spec)).filter((c) => c.skipReason).map((c) => c.id));
      const { needs, unknownKinds } = needsOfPlan(plan, skipped);
      process.stdout.write(renderRbacYaml(mergeNeeds(needs), { name: flags.name, subject: subjectOf(flags), suites: plan.suites.map((s) => s.name), unknownKinds }));
      if (unknownKinds.length) process.stderr.write(`kconform rbac: no permission data for check kind(s) ${unknownKinds.join(', ')}; the printed roles may not be enough\n`);
    });
}

function subjectOf(flags: RbacFlags): Subject {
  if (flags.user && flags.serviceAccount) throw new CliError('expected --user or --service-account, not both', EXIT.badInput);
  if (flags.user) return { kind: 'User', name: flags.user };
  const sa = flags.serviceAccount ?? 'kconform/grader';
  const m = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(sa);
  if (!m) throw new CliError(`--service-account: expected namespace/name, got '${sa}'`, EXIT.badInput);
  return { kind: 'ServiceAccount', namespace: m[1]!, name: m[2]! };
}
