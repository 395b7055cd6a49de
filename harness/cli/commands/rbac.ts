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
import { graderKubeconfig, handInSteps, identityYaml, MIN_TOKEN_SECONDS } from '../../grade/grader-kubeconfig.ts';
import { durationMs } from '../flag-values.ts';
import { writeFile } from 'node:fs/promises';
import { KubeApiError } from '../../kube/errors.ts';

interface RbacFlags {
  name: string;
  serviceAccount?: string;
  user?: string;
  readOnly: boolean;
}

export function registerRbac(program: Command): void {
  const rbac = program
    .command('rbac')
    .description("Print everything a student applies so kconform can grade their cluster: the grader's Namespace and ServiceAccount, the minimal ClusterRole/Role and bindings; `rbac kubeconfig` then writes the kubeconfig to hand in")
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
      const subject = subjectOf(flags);
      process.stdout.write(identityYaml(subject));
      process.stdout.write(renderRbacYaml(mergeNeeds(needs), { name: flags.name, subject, suites: plan.suites.map((s) => s.name), unknownKinds }));
      process.stdout.write(handInSteps(subject, paths.join(' ')));
      if (unknownKinds.length) process.stderr.write(`kconform rbac: no permission data for check kind(s) ${unknownKinds.join(', ')}; the printed roles may not be enough\n`);
    });
  registerRbacKubeconfig(rbac);
}

function subjectOf(flags: RbacFlags): Subject {
  if (flags.user && flags.serviceAccount) throw new CliError('expected --user or --service-account, not both', EXIT.badInput);
  if (flags.user) return { kind: 'User', name: flags.user };
  const sa = flags.serviceAccount ?? 'kconform/grader';
  const m = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(sa);
  if (!m) throw new CliError(`--service-account: expected namespace/name, got '${sa}'`, EXIT.badInput);
  return { kind: 'ServiceAccount', namespace: m[1]!, name: m[2]! };
}

interface KubeconfigFlags {
  kubeconfig?: string;
  context?: string;
  serviceAccount: string;
  duration: string;
  fromToken?: string;
  server?: string;
  file?: string;
}

/** `kconform rbac kubeconfig`: run by the student with their admin kubeconfig; prints (or writes) the grader's kubeconfig. */
function registerRbacKubeconfig(rbac: Command): void {
  rbac
    .command('kubeconfig')
    .description("Write the kubeconfig a student hands in: this cluster's server and CA with a short-lived token of the grader's ServiceAccount (applied from `kconform rbac`)")
    .option('--kubeconfig <file>', 'your admin kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--service-account <namespace/name>', 'the grader ServiceAccount', 'kconform/grader')
    .option('--duration <d>', 'token lifetime (at least 10m; the API server may cap it)', '24h')
    .option('--from-token <file|->', 'use this token (a file, or - for stdin) instead of asking the API server for one')
    .option('--server <url>', "API server URL as the grader reaches it (default: your kubeconfig's)")
    .option('--file <path>', 'write the kubeconfig here (mode 0600) instead of stdout')
    .action(async (flags: KubeconfigFlags) => {
      // `rbac` has a --service-account of its own, and commander lets a parent take its
      // options after the subcommand's name: honour it wherever the user wrote it.
      const given = rbac.getOptionValueSource('serviceAccount') === 'cli' ? (rbac.opts().serviceAccount as string) : flags.serviceAccount;
      const sa = subjectOf({ serviceAccount: given, readOnly: true, name: '' });
      const ms = durationMs(flags.duration, '--duration', '24h');
      if (ms < MIN_TOKEN_SECONDS * 1000) throw new CliError(`--duration: at least 10m (the API server refuses shorter tokens), got '${flags.duration}'`, EXIT.badInput);
      if (flags.server && !/^https?:\/\/[^\s]+$/.test(flags.server)) throw new CliError(`--server: expected a URL like https://203.0.113.7:6443, got '${flags.server}'`, EXIT.badInput);
      let text: string;
      try {
        text = await graderKubeconfig({
          ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
          ...(flags.context ? { context: flags.context } : {}),
          serviceAccount: { namespace: sa.namespace!, name: sa.name },
          seconds: Math.round(ms / 1000),
          ...(flags.fromToken ? { fromToken: flags.fromToken } : {}),
          ...(flags.server ? { server: flags.server } : {}),
        });
      } catch (err) {
        if (err instanceof KubeApiError) {
          const hint = err.status === 404 ? `; apply the output of \`kconform rbac\` first (it creates ServiceAccount ${flags.serviceAccount})` : '';
          throw new CliError(`${err.message}${hint}`, EXIT.harnessError);
        }
        if (err instanceof Error && /^--from-token|ENOENT/.test(err.message)) throw new CliError(err.message, EXIT.badInput);
        throw err;
      }
      if (flags.file) {
        await writeFile(flags.file, text, { mode: 0o600 });
        process.stderr.write(`wrote ${flags.file}: hand it in; it grants only what \`kconform rbac\` printed${/expires (\S+)/.exec(text) ? ` and expires ${/expires (\S+)/.exec(text)![1]}` : ''}\n`);
      } else process.stdout.write(text);
    });
}
