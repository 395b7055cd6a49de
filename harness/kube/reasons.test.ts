import { describe, expect, it } from 'vitest';
import { describeApiFailure, errorCode, forbiddenLine, oneLine, redactSecrets, transportReason, unreachableLine } from './reasons.ts';

const status = (code: number, reason: string, message: string, details?: object) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? { details } : {}) });

describe('describeApiFailure', () => {
  it('lists the field causes of an invalid object after the object it names', () => {
    const body = status(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0', {
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
    });
    expect(describeApiFailure(422, body, { kind: 'Deployment', name: 'web', namespace: 'x' })).toBe(
      'Deployment web (ns x): spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('joins several causes and drops duplicates', () => {
    const body = status(422, 'Invalid', 'x', {
      causes: [
        { field: 'spec.a', message: 'Required value' },
        { field: 'spec.a', message: 'Required value' },
        { field: 'spec.b', message: 'Unsupported value: "z"' },
      ],
    });
    expect(describeApiFailure(422, body, { kind: 'Pod', name: 'p' })).toBe('Pod p: spec.a: Required value; spec.b: Unsupported value: "z"');
  });

  it('rewrites RBAC denials into one short sentence', () => {
    const body = status(403, 'Forbidden', 'pods is forbidden: User "student" cannot create resource "pods" in API group "" in the namespace "x"');
    expect(describeApiFailure(403, body)).toBe('forbidden: User "student" cannot create pods in namespace "x"');
    expect(forbiddenLine('deployments.apps "web" is forbidden: User "student" cannot patch resource "deployments" in API group "apps" in the namespace "x"')).toBe(
      'forbidden: User "student" cannot patch deployments.apps in namespace "x"',
    );
    expect(forbiddenLine('nodes is forbidden: User "student" cannot list resource "nodes" in API group "" at the cluster scope')).toBe(
      'forbidden: User "student" cannot list nodes at cluster scope',
    );
    expect(forbiddenLine('pods "a" is forbidden: violates PodSecurity "restricted:latest": privileged')).toBe('forbidden: violates PodSecurity "restricted:latest": privileged');
  });

  it('names a missing namespace rather than the object', () => {
    const body = status(404, 'NotFound', 'namespaces "x" not found', { name: 'x', kind: 'namespaces' });
    expect(describeApiFailure(404, body, { kind: 'ConfigMap', name: 'c', namespace: 'x' })).toBe('ConfigMap c (ns x): namespace "x" not found');
    const gone = status(404, 'NotFound', 'configmaps "c" not found', { name: 'c', kind: 'configmaps' });
    expect(describeApiFailure(404, gone, { kind: 'ConfigMap', name: 'c', namespace: 'y' })).toBe('ConfigMap c (ns y): not found');
  });

  it('keeps the useful tail of strict decoding errors', () => {
    const body = status(400, 'BadRequest', 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.contianers"');
    expect(describeApiFailure(400, body, { kind: 'Pod', name: 'p', namespace: 'n' })).toBe('Pod p (ns n): unknown field "spec.contianers"');
  });

  it('says "already exists" for a create conflict', () => {
    expect(describeApiFailure(409, status(409, 'AlreadyExists', 'configmaps "c" already exists'), { kind: 'ConfigMap', name: 'c' })).toBe('ConfigMap c: already exists');
  });

  it('copes with a non-Status body from a proxy', () => {
    expect(describeApiFailure(502, '<html>Bad Gateway</html>')).toBe('<html>Bad Gateway</html>');
    expect(describeApiFailure(503, '')).toBe('HTTP 503');
  });

  it('is always one line', () => {
    const body = status(500, 'InternalError', 'line one\nline two\n  line three');
    expect(describeApiFailure(500, body)).toBe('line one line two line three');
  });
});

describe('transport failures', () => {
  it('finds the socket error code under fetch\'s wrapper and names it in words', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) });
    expect(errorCode(err)).toBe('ECONNREFUSED');
    expect(unreachableLine('https://127.0.0.1:6443', transportReason(err)!)).toBe('cannot reach the API server at https://127.0.0.1:6443: connection refused');
  });

  it('looks inside an AggregateError (one error per address tried)', () => {
    const agg = new AggregateError([Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })], 'all failed');
    expect(transportReason(new TypeError('fetch failed', { cause: agg }))).toBe('host unreachable');
  });

  it('explains TLS trust problems', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) });
    expect(transportReason(err)).toMatch(/^TLS: /);
    expect(transportReason(Object.assign(new Error('?'), { code: 'ERR_TLS_SOMETHING_NEW' }))).toBe('TLS handshake failed (ERR_TLS_SOMETHING_NEW)');
  });

  it('leaves errors that are not about the network alone', () => {
    expect(transportReason(new Error('boom'))).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('masks bearer tokens, key blocks and token fields', () => {
    const text = 'Authorization: Bearer abc.def-123 and token: s3cr3t and -----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY----- end';
    const out = redactSecrets(text);
    expect(out).not.toMatch(/abc\.def-123|s3cr3t|MHc/);
    expect(out).toContain('Bearer <redacted>');
    expect(out).toContain('<private key>');
    expect(oneLine('a\nBearer zzz')).toBe('a Bearer <redacted>');
  });
});
