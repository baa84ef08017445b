/** The prod stack's two namespaces, with the Pod Security admission level each may run at. */
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { COMMON_LABELS, NAMESPACES } from "../types";

/** Pod Security admission label keys. */
export const PSA = {
  enforce: "pod-security.kubernetes.io/enforce",
  warn: "pod-security.kubernetes.io/warn",
  audit: "pod-security.kubernetes.io/audit",
} as const;

/** The two namespaces, with Pod Security admission labels. */
export function namespaceManifests(): { monitoring: INamespace; agents: INamespace } {
  const namespace = (name: string, psa: Record<string, string>): INamespace => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { ...COMMON_LABELS, ...psa } },
  });
  return {
    // The stack's own pods run as non-root: enforce baseline, and report anything short of
    // restricted (warnings on apply, audit log entries) so it gets fixed in the chart values.
    monitoring: namespace(NAMESPACES.monitoring, {
      [PSA.enforce]: "baseline",
      [PSA.warn]: "restricted",
      [PSA.audit]: "restricted",
    }),
    // node-exporter (host network, PID and root filesystem) and Alloy (host log paths) are
    // privileged by nature; they get their own namespace so `monitoring` stays baseline.
    agents: namespace(NAMESPACES.agents, { [PSA.enforce]: "privileged" }),
  };
}
