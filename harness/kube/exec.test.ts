import { describe, expect, it } from 'vitest';
import { whyNotRunning } from './exec.ts';
import { KubeApiError } from './errors.ts';
import { execFailureLine, exitCodeFromStatus } from './exec.ts';

describe('exitCodeFromStatus', () => {
  it('reads Success as 0 and NonZeroExitCode as its ExitCode cause', () => {
    expect(exitCodeFromStatus({ status: 'Success', metadata: {} }, 'x')).toBe(0);
    expect(
      exitCodeFromStatus(
        {
          status: 'Failure',
          reason: 'NonZeroExitCode',
          message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
          details: { causes: [{ reason: 'ExitCode', message: '3' }] },
        },
        'x',
      ),
    ).toBe(3);
  });

  it('throws when the command could not run, with the server\'s words', () => {
    const message =
      'Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "3fa8": OCI runtime exec failed: exec failed: unable to start container process: exec: "/no/such": stat /no/such: no such file or directory: unknown';
    expect(() => exitCodeFromStatus({ status: 'Failure', reason: 'InternalError', code: 500, message }, 'exec "/no/such" in Pod p (ns n, container c)')).toThrow(
      'exec "/no/such" in Pod p (ns n, container c): cannot start "/no/such": stat /no/such: no such file or directory',
    );
    expect(execFailureLine('Internal error occurred: Internal error occurred: container not running (abc)')).toBe('container not running (abc)');
    expect(() => exitCodeFromStatus(undefined, 'x')).toThrow(KubeApiError);
  });
});

describe('whyNotRunning', () => {
  const pod = (status: object, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...extra },
    spec: { containers: [{ name: 'app' }, { name: 'side' }] },
    status,
  });
  it('is silent for a running container', () => {
    expect(whyNotRunning(pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] }), 'app')).toBeUndefined();
  });
  it('names the waiting reason, a wrong container, a pending pod, a terminating pod', () => {
    expect(whyNotRunning(pod({ containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), 'app')).toBe('container is waiting (CrashLoopBackOff)');
    expect(whyNotRunning(pod({}), 'db')).toBe('no such container (containers: app, side)');
    expect(whyNotRunning(pod({ phase: 'Pending' }), 'app')).toBe('the pod is Pending');
    expect(whyNotRunning(pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), 'app')).toBe('the pod is terminating');
  });
});
