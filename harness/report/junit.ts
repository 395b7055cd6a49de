// JUnit XML: one <testsuite> per suite, one <testcase> per check, classname
// `kconform.<suite>`. Failure message is the one-line reason, the body the evidence
// as text. Cluster facts are properties of every testsuite, so a merged CI matrix
// still tells which cell a case came from.
import junitModule from 'junit-report-builder';
import type { Builder, TestCase, TestSuite } from 'junit-report-builder';
import type { CheckResult, ClusterInfo, RunResult, SuiteResult } from '../results/model.ts';
import { FileReporter } from './file-reporter.ts';
import { renderCheckDetail, renderEvidenceList } from './evidence-text.ts';
import { formatDuration, oneLine, toSeconds } from './format.ts';
import { redactDeep, redactText } from './redact.ts';

// The package is CommonJS behind an ES-style d.ts: at run time the default import is
// the builder itself, while the types see it under `.default`.
const rootBuilder = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

/** Evidence in a JUnit body is for reading in a CI page: logs keep their tail. */
const BODY_OPTIONS = { maxLogLines: 200, maxRows: 500 };

export const SUITE_ERRORS_CASE = '(suite setup and cleanup)';

export function classnameOf(suite: string): string {
  return `kconform.${suite}`;
}

/**
 * The JUnit document for a run. The model is redacted first, and every text built
 * from it again (rendering can put a key beside its value), before the builder sees it.
 */
export function renderJunit(input: RunResult): string {
  const run = redactDeep(input);
  const builder = rootBuilder.newBuilder().name(`kconform ${run.runId}`);
  for (const suite of run.suites) addSuite(builder.testSuite(), suite, run);
  return builder.build() + '\n';
}

function addSuite(ts: TestSuite, suite: SuiteResult, run: RunResult): void {
  ts.name(suite.name).time(toSeconds(suite.durationMs));
  const started = suite.checks[0]?.startedAt ?? run.startedAt;
  const stamp = junitTimestamp(started);
  if (stamp) ts.timestamp(stamp);
  for (const [name, value] of suiteProperties(run, suite)) ts.property(name, redactText(value));
  for (const check of suite.checks) addCase(ts.testCase(), check, run);
  if (suite.errors.length > 0) {
    const first = suite.errors[0] ?? '';
    ts.testCase()
      .className(classnameOf(suite.name))
      .name(SUITE_ERRORS_CASE)
      .time(0)
      .error(oneLine(first), 'suite', redactText(suite.errors.join('\n')));
  }
}

/** JUnit's classic timestamp: ISO 8601 seconds, no zone (kconform writes UTC). */
function junitTimestamp(iso: string): string | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 19);
}

export function clusterProperties(run: { runId: string; cluster: ClusterInfo; tool?: { version: string } }): [string, string][] {
  const c = run.cluster;
  const props: [string, string | number | undefined][] = [
    ['kconform.run.id', run.runId],
    ['kconform.version', run.tool?.version],
    ['cluster.name', c.name],
    ['cluster.provider', c.provider],
    ['cluster.kubernetes.version', c.kubernetesVersion],
    ['cluster.cni', c.cni],
    ['cluster.cri', c.cri],
    ['cluster.nodes', c.nodes],
    ['cluster.uid', c.uid],
  ];
  return props.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '').map(([k, v]) => [k, String(v)]);
}

function suiteProperties(run: RunResult, suite: SuiteResult): [string, string][] {
  const props = clusterProperties(run);
  props.push(['suite.file', suite.file], ['suite.namespace', suite.namespace]);
  const graded = suite.checks.filter((c) => c.points);
  if (graded.length) {
    props.push(['points.earned', String(sum(graded.map((c) => c.points?.earned ?? 0)))]);
    props.push(['points.max', String(sum(graded.map((c) => c.points?.max ?? 0)))]);
  }
  if (run.interrupted) props.push(['interrupted', 'true']);
  return props;
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}

function addCase(tc: TestCase, check: CheckResult, run: RunResult): void {
  tc.className(classnameOf(check.suite)).name(check.name).time(toSeconds(check.durationMs));
  tc.property('kind', check.kind);
  if (check.runId !== run.runId) tc.property('run.id', check.runId);
  if (check.points) {
    tc.property('points.earned', String(check.points.earned));
    tc.property('points.max', String(check.points.max));
  }
  if (check.flaky) tc.property('flaky', 'true');
  if (check.attempts.length > 1 || check.flaky) {
    tc.property('attempts', String(check.attempts.length));
    for (const a of check.attempts) {
      tc.property(`attempt.${a.attempt}`, redactText(`${a.status} in ${formatDuration(a.durationMs)}: ${oneLine(a.reason)}`));
    }
  }
  if (check.hint && check.status !== 'pass') tc.property('hint', redactText(oneLine(check.hint)));
  const reason = redactText(oneLine(check.reason));
  const detail = (): string => redactText(renderCheckDetail(check, BODY_OPTIONS));
  switch (check.status) {
    case 'pass':
      // A flaky pass keeps what the failed attempts saw.
      if (check.flaky) tc.standardOutput(redactText(flakyHistory(check)));
      break;
    case 'fail':
      tc.failure(reason, 'fail').stacktrace(detail());
      break;
    case 'error':
      tc.error(reason, 'error', detail());
      break;
    case 'skip':
      tc.skipped();
      withSkippedMessage(tc, reason);
      break;
    default: {
      const never: never = check.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

function flakyHistory(check: CheckResult): string {
  return check.attempts
    .filter((a) => a.status !== 'pass')
    .map((a) => {
      const head = `attempt ${a.attempt}: ${a.status} in ${formatDuration(a.durationMs)}: ${oneLine(a.reason)}`;
      return a.evidence.length ? `${head}\n\n${renderEvidenceList(a.evidence, BODY_OPTIONS)}` : head;
    })
    .join('\n\n');
}

type XmlElement = ReturnType<TestCase['build']>;

// junit-report-builder writes a bare <skipped/>; CI pages show the message attribute
// as the skip reason, so add it to the element the library built.
function withSkippedMessage(tc: TestCase, message: string): void {
  const build = tc.build.bind(tc);
  tc.build = (parent: XmlElement): XmlElement => {
    const el = build(parent);
    const skipped = el.children.find((c) => (c as { name?: unknown }).name === 'skipped') as XmlElement | undefined;
    skipped?.att('message', message);
    return el;
  };
}

export class JunitReporter extends FileReporter {
  constructor(opts: { outputFile: string }) {
    super({ name: 'junit', outputFile: opts.outputFile, render: renderJunit });
  }
}
