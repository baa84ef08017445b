/**
 * The prod cluster part: creates an EKS cluster (VPC, control plane, managed nodes, OIDC/IRSA, EBS CSI
 * driver, optional AMP workspace and Loki bucket) or takes an existing one from a secret kubeconfig,
 * and in both modes returns the one explicit Kubernetes provider and the encrypted gp3 StorageClass.
 * Plain @pulumi/aws resources (no @pulumi/eks or awsx) keep every input visible to tests under mocks.
 * The pieces live beside this file, one per file; this one puts them in order.
 */
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings/settings";
import { network } from "../../aws/network";
import type { PartOptions } from "../../parts";
import type { Cluster } from "../types";
import { addons } from "./addons";
import { controlPlane, type CreateSettings } from "./controlPlane";
import { oidcProvider } from "./irsa";
import { kubeconfigFor } from "./kubeconfig";
import { lokiBucket, lokiObjectExpirationDays } from "./lokiBucket";
import { nodeGroup } from "./nodeGroup";
import { ampRemoteWrite } from "./remoteWrite";
import { gp3Class } from "./storageClass";

/**
 * Tags by which Kubernetes load balancers (AWS Load Balancer Controller, in-tree service controller)
 * find their subnets, applied by `network()` (components/aws/network.ts) to the VPC it creates.
 */
export const SUBNET_ROLE_TAGS = {
  public: { "kubernetes.io/role/elb": "1" },
  private: { "kubernetes.io/role/internal-elb": "1" },
} as const;

/**
 * Creates (or connects to) the prod cluster. Validation runs before any resource is registered.
 * Existing mode creates no AWS resource: the cluster's owner provides the EBS CSI driver and IRSA.
 */
export function cluster(settings: Settings, opts: PartOptions): Cluster {
  const k8s = settings.k8s;
  if (k8s.cluster.mode === "existing" && (k8s.remoteWrite || k8s.lokiMode === "simpleScalable")) {
    throw new pulumi.InputPropertyError({
      propertyPath: k8s.remoteWrite ? "remoteWrite" : "lokiMode",
      reason:
        "`remoteWrite` and `lokiMode: simpleScalable` need IAM roles for service accounts, which the stack sets up only for a cluster it creates: set `eksClusterMode` to `create`, or turn them off.",
    });
  }
  const region = getRegionOutput({}, { parent: opts.parent }).region;

  if (k8s.cluster.mode === "existing") {
    // The kubeconfig stays a secret Output from `requireSecret` all the way into the provider.
    const provider = new Provider(
      `${opts.prefix}-k8s`,
      { kubeconfig: k8s.cluster.kubeconfig, enableServerSideApply: true },
      { parent: opts.parent },
    );
    // Not the default class: marking it so in someone else's cluster would change where their
    // other workloads' unnamed PVCs land. Every PVC of this stack names the class explicitly.
    const storageClass = gp3Class(false, provider, opts);
    return {
      provider,
      name: pulumi.output(settings.clusterName),
      storageClassName: storageClass.metadata.name,
      region,
    };
  }
  return createCluster(settings, k8s.cluster, region, opts);
}

/** A cluster of the stack's own (what is protected, and why: protection.ts). */
function createCluster(
  settings: Settings,
  spec: CreateSettings,
  region: pulumi.Output<string>,
  opts: PartOptions,
): Cluster {
  const { parent, prefix } = opts;
  // Validate before anything is registered.
  const lokiExpirationDays =
    settings.k8s.lokiMode === "simpleScalable"
      ? lokiObjectExpirationDays(settings.loki.retentionPeriod)
      : undefined;

  const partition = getPartitionOutput({}, { parent }).partition;
  // Nodes and the internal load balancers live in the private subnets; public ones carry only NAT
  // gateways and internet-facing load balancers.
  const net = network(settings.aws.network, opts, SUBNET_ROLE_TAGS);
  const eksCluster = controlPlane(spec, net, partition, opts);
  const nodes = nodeGroup(spec.nodeGroup, eksCluster, net, partition, opts);
  const oidc = oidcProvider(eksCluster, opts);
  const addOns = addons(eksCluster, nodes, oidc, partition, opts);

  const kubeconfig = pulumi.secret(
    pulumi
      .all([eksCluster.name, eksCluster.endpoint, eksCluster.certificateAuthority, region])
      .apply(([name, endpoint, ca, r]) =>
        kubeconfigFor({ name, endpoint, certificateAuthority: ca.data ?? "", region: r }),
      ),
  );
  const provider = new Provider(
    `${prefix}-k8s`,
    { kubeconfig, enableServerSideApply: true },
    // Nothing may schedule before nodes and the volume driver exist.
    { parent, dependsOn: [nodes, addOns.ebsCsi, addOns.vpcCni] },
  );
  // The default class: EKS 1.30+ marks no class default, so a PVC a chart forgets to name still
  // lands on encrypted, retained gp3 instead of staying Pending. The cluster is the stack's own.
  const storageClass = gp3Class(true, provider, opts);

  return {
    provider,
    name: eksCluster.name,
    kubeconfig,
    storageClassName: storageClass.metadata.name,
    region,
    remoteWrite: settings.k8s.remoteWrite ? ampRemoteWrite(oidc, opts) : undefined,
    lokiStorage:
      lokiExpirationDays === undefined ? undefined : lokiBucket(lokiExpirationDays, oidc, opts),
  };
}
