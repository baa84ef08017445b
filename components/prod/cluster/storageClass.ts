/**
 * The encrypted gp3 StorageClass every PVC of the stack uses, in both cluster modes: its manifest
 * (pure, validated in tests) and its resource on the cluster's provider.
 */
import type { Provider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";
import type { PartOptions } from "../../parts";

/** Name of the StorageClass every PVC of the stack uses. */
export const STORAGE_CLASS_NAME = "gp3-encrypted";

/** The annotation that makes a StorageClass the cluster's default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/**
 * The StorageClass every PVC uses: gp3 through the EBS CSI driver, encrypted, volumes kept when their
 * PVC is deleted (`Retain`), created in the zone of the pod that needs them, and resizable.
 */
export function gp3StorageClass(isDefault: boolean) {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name: STORAGE_CLASS_NAME,
      annotations: { [DEFAULT_CLASS_ANNOTATION]: String(isDefault) },
    },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  } as const;
}

/** Creates the class on `provider`; the default class only in a cluster the stack owns. */
export function gp3Class(isDefault: boolean, provider: Provider, opts: PartOptions): StorageClass {
  return new StorageClass(`${opts.prefix}-${STORAGE_CLASS_NAME}`, gp3StorageClass(isDefault), {
    parent: opts.parent,
    provider,
  });
}
