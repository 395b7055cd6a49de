import { describe, expect, it } from 'vitest';
import { MissingImagesError, missingImagesMessage } from './images.ts';

const CALICO = ['docker.io/calico/cni:v3.30.7', 'docker.io/calico/node:v3.30.7', 'docker.io/calico/kube-controllers:v3.30.7'];

describe('missing images message', () => {
  it('names every image and every way to provide images that cannot be built here', () => {
    const text = missingImagesMessage(CALICO, false, { 'docker.io/calico/node:v3.30.7': 'not on mirror http://m:5000 (HTTP 404 for calico/node:v3.30.7)' }, { cni: 'calico', cri: 'docker' });
    for (const i of CALICO) expect(text).toContain(`  ${i}`);
    expect(text).toContain('docker.io/calico/node:v3.30.7  (not on mirror http://m:5000 (HTTP 404 for calico/node:v3.30.7))');
    expect(text).toContain('Nothing was created.');
    expect(text).toContain('npx kconform images bundle --cni calico --cri docker -o kconform-images.tar');
    expect(text).toContain(`docker save -o kconform-images.tar ${CALICO.join(' ')}`);
    expect(text).toContain('npx kconform images import kconform-images.tar');
    expect(text).toContain('--registry-mirror mirror.example:5000');
    expect(text).toContain('(e.g. mirror.example:5000/calico/cni:v3.30.7)');
    expect(text).toContain('--pull-images');
  });
  it('points at the offline builder when every missing image can be built here', () => {
    const err = new MissingImagesError(['kconform/node-docker:v1.37.2'], true);
    expect(err.message).toBe('missing images, not in Docker yet:\n  kconform/node-docker:v1.37.2\nbuild them here (no registry needed): npx kconform images build [--cri docker]');
    expect(err.images).toEqual(['kconform/node-docker:v1.37.2']);
  });
});
