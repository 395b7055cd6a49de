// Kinds that live outside namespaces. Fixtures of these kinds are not put in the
// suite's namespace and get their own cleanup step.
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'VolumeAttachment', 'CertificateSigningRequest',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
