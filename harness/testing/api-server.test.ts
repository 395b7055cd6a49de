import { describe, expect, it } from 'vitest';
import type { ImageName } from 'testcontainers';
import { apiTierSkipReason } from './api-server.ts';

const images = { k8sVersion: 'v1.37.2', apiserver: 'registry.k8s.io/kube-apiserver:v1.37.2', etcd: 'registry.k8s.io/etcd:3.7.0-0' };
const withImages = (present: string[]) => async () => ({
  image: { exists: async (n: ImageName) => present.includes(n.string) } as never,
});

describe('apiTierSkipReason', () => {
  it('skips with the setup hint when no container runtime answers', async () => {
    const reason = await apiTierSkipReason(images, async () => {
      throw new Error('Could not find a working container runtime strategy');
    });
    expect(reason).toBe('api tier skipped: Docker is not running (run harness/images/setup-host.sh)');
  });

  it('names exactly the images that are missing', async () => {
    expect(await apiTierSkipReason(images, withImages([images.etcd]))).toBe(
      'api tier skipped: image registry.k8s.io/kube-apiserver:v1.37.2 missing: run `npx kconform images build`',
    );
    expect(await apiTierSkipReason(images, withImages([images.etcd, images.apiserver]))).toBeUndefined();
  });
});
