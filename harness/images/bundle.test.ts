import { describe, expect, it } from 'vitest';
import { tagOnly } from './bundle.ts';

describe('tagOnly', () => {
  it('drops a digest when a tag is there to keep', () => {
    expect(tagOnly('kindest/node:v1.37.0@sha256:a1ed56cf')).toBe('kindest/node:v1.37.0');
    expect(tagOnly('ghcr.io/flannel-io/flannel:v0.28.4')).toBe('ghcr.io/flannel-io/flannel:v0.28.4');
    expect(tagOnly('localhost:5000/x@sha256:ab')).toBe('localhost:5000/x@sha256:ab');
  });
});
