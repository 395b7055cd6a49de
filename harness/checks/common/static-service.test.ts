import { describe, expect, it } from 'vitest';
import { isStaticServiceCause } from './static-service.ts';

const rs = (labels: Record<string, string>, replicas = 2) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { replicas, template: { metadata: { labels } } } });

describe('isStaticServiceCause', () => {
  it('a Service without a selector never gets pods by waiting', () => {
    expect(isStaticServiceCause({}, 0, [])).toBe(true);
  });
  it('a selector that matches no pod and no controller template is static', () => {
    expect(isStaticServiceCause({ app: 'web' }, 0, [rs({ app: 'webapp' })])).toBe(true);
    expect(isStaticServiceCause({ app: 'web' }, 0, [rs({ app: 'web', tier: 'x' }, 0)])).toBe(true);
  });
  it('pods that exist, or a controller about to create matching pods, may still become endpoints', () => {
    expect(isStaticServiceCause({ app: 'web' }, 2, [])).toBe(false);
    expect(isStaticServiceCause({ app: 'web' }, 0, [rs({ app: 'web', tier: 'x' })])).toBe(false);
  });
});
