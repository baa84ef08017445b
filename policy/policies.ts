/**
 * The CrossGuard policies of the monitoring stack, as data: `index.ts` hands them to the
 * `PolicyPack`, and `test/policy/policies.test.ts` calls their `validateResource` directly. The table in
 * `README.md` (same folder) explains each one and its enforcement level; each is defined in the file
 * of its group (encryption.ts, ingress.ts, pinning.ts, envSecrets.ts, iam.ts, workloads.ts, stores.ts).
 */
import type { MonitoringPolicy } from "./define";
import {
  ebsEncrypted,
  ecsEfsTransitEncryption,
  efsEncrypted,
  eksNodeDisksEncrypted,
} from "./encryption";
import { noPlaintextSecrets } from "./envSecrets";
import { iamNoWildcards } from "./iam";
import { noPublicIngress } from "./ingress";
import { helmVersionsPinned, imagesPinned } from "./pinning";
import { storesProtectedNonProd, storesProtectedProd } from "./stores";
import { k8sContainersLimitedNonRoot } from "./workloads";

export type { MonitoringPolicy } from "./define";

/** Every policy of the pack, in the order of the README table. */
export const policies: readonly MonitoringPolicy[] = [
  efsEncrypted,
  ebsEncrypted,
  eksNodeDisksEncrypted,
  ecsEfsTransitEncryption,
  noPublicIngress,
  imagesPinned,
  helmVersionsPinned,
  noPlaintextSecrets,
  iamNoWildcards,
  k8sContainersLimitedNonRoot,
  storesProtectedProd,
  storesProtectedNonProd,
];
