// What an *.api.test.ts needs from the api tier's globalSetup: the skip reason
// and Kube clients for the admin and the no-permission user.
import { inject } from 'vitest';
import { Kube } from '../kube/client.ts';

export interface ApiEnv {
  /** Empty when the tier runs. */
  skipReason: string;
  kubeconfig: string;
  admin(): Kube;
  student(): Kube;
}

export function apiEnv(): ApiEnv {
  const skipReason = inject('apiSkipReason') ?? 'api tier skipped: its globalSetup did not run';
  const kubeconfig = inject('apiKubeconfig') ?? '';
  return {
    skipReason,
    kubeconfig,
    admin: () => Kube.fromKubeconfig({ kubeconfig, context: inject('apiAdminContext') }),
    student: () => Kube.fromKubeconfig({ kubeconfig, context: inject('apiStudentContext') }),
  };
}
