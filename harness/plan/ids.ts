import { randomBytes } from 'node:crypto';

/** Short run id: part of namespace names, so lowercase hex and short. */
export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** Per-run secret-less token every probe answer must echo (anti-spoofing). */
export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

export function suiteNamespace(suite: string, runId: string): string {
  return `kconform-${suite}-${runId}`;
}

export const LABEL_RUN = 'kconform.io/run';
export const LABEL_SUITE = 'kconform.io/suite';
export const LABEL_MANAGED = 'app.kubernetes.io/managed-by';
export const FIELD_MANAGER = 'kconform';
