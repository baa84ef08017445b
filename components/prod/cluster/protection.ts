/**
 * Which of the cluster's resources are protected, and why: the control plane (its etcd holds every
 * Kubernetes object and PV binding), the KMS key (without it the cluster's secrets cannot be
 * decrypted), the Loki bucket and the AMP workspace (they hold the data). The node group is not:
 * nodes are replaceable, the data lives on EBS volumes that outlive them (`reclaimPolicy: Retain`),
 * and protection would block the replacement an instance-type change needs. To delete a protected
 * resource on purpose, run `pulumi state unprotect <urn>` first.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Options of the resources that hold data: a child of `parent`, protected. */
export function keep(parent: pulumi.Resource): pulumi.CustomResourceOptions {
  return { parent, protect: true };
}
