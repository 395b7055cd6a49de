import { describe, expect, it } from 'vitest';
import { applyBody, PATCH_CONTENT_TYPE } from './apply.ts';
import { fieldSelectorFor } from './list-watch.ts';

describe('applyBody', () => {
  it('drops managedFields and resourceVersion, keeps the rest', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'n', resourceVersion: '42', managedFields: [{ manager: 'x' }], labels: { a: 'b' } },
      data: { k: 'v' },
    };
    expect(applyBody(live)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels: { a: 'b' } }, data: { k: 'v' } });
    expect(live.metadata.resourceVersion).toBe('42'); // the input is not changed
  });

  it('uses the apply content type for server-side apply', () => {
    expect(PATCH_CONTENT_TYPE.apply).toBe('application/apply-patch+yaml');
  });
});

describe('fieldSelectorFor', () => {
  it('adds the name to any field selector', () => {
    expect(fieldSelectorFor({ name: 'w' })).toBe('metadata.name=w');
    expect(fieldSelectorFor({ fieldSelector: 'status.phase=Running', name: 'w' })).toBe('status.phase=Running,metadata.name=w');
    expect(fieldSelectorFor({})).toBeUndefined();
  });
});
