/**
 * Policy 10: stateful stores (EFS, KMS keys, EKS clusters, the Loki bucket, AMP workspaces) are
 * protected and StorageClasses retain their volumes — mandatory in prod, advisory where dropping the
 * data can be deliberate.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { define, type MonitoringPolicy } from "./define";
import { T } from "./types";
import { at, hasWord, type JsonObject, nameTag, text } from "./values";

/** Environments whose data may be thrown away on purpose (`retainData: false` in staging). */
export const DISPOSABLE_ENVIRONMENTS: readonly string[] = ["dev", "staging"];

/**
 * The resource's environment: its `monitoring:environment` tag (every AWS resource of the program
 * has one), else the stack name in its URN (`urn:pulumi:<stack>::…`).
 */
export function environmentOf(args: Pick<ResourceValidationArgs, "props" | "urn">): string {
  const tag = text(at(args.props, ["tags", "monitoring:environment"]));
  return tag ?? /^urn:pulumi:([^:]+)::/.exec(args.urn)?.[1] ?? "";
}

/** Loki's bucket: `loki` is a word of its `Name` tag, `bucket` or `bucketPrefix`. */
const isLokiBucket = (props: JsonObject) =>
  [nameTag(props), text(props.bucket), text(props.bucketPrefix)].some((s) => hasWord(s, /loki/));

const STORES: Readonly<Record<string, string>> = {
  [T.efs]: "EFS file system (all staging data)",
  [T.kmsKey]: "KMS key (deleting it makes what it encrypted unreadable)",
  [T.eksCluster]: "EKS cluster (etcd holds every Kubernetes object)",
  [T.bucket]: "Loki bucket (the log archive)",
  [T.bucketV2]: "Loki bucket (the log archive)",
  [T.ampWorkspace]: "AMP workspace (long-term metrics)",
};

function storesProtected(level: "mandatory" | "advisory"): MonitoringPolicy {
  const disposable = level === "advisory";
  return define({
    name: disposable ? "stateful-stores-protected-nonprod" : "stateful-stores-protected",
    description: disposable
      ? `As stateful-stores-protected, for ${DISPOSABLE_ENVIRONMENTS.join(" and ")} stacks, where dropping the data can be deliberate (\`retainData: false\`): advisory.`
      : `Stateful stores (EFS, KMS keys, EKS clusters, the Loki bucket, AMP workspaces) are created with \`protect\`, and StorageClasses retain their volumes; for every stack that is not ${DISPOSABLE_ENVIRONMENTS.join(" or ")}.`,
    enforcementLevel: level,
    resourceTypes: [...Object.keys(STORES), T.storageClass],
    readsOptions: true,
    check: (props, args, report) => {
      const environment = environmentOf(args);
      if (DISPOSABLE_ENVIRONMENTS.includes(environment) !== disposable) {
        return args.notApplicable(
          `environment "${environment}" is checked by the other protection policy`,
        );
      }
      if (args.type === T.storageClass) {
        if (props.reclaimPolicy !== "Retain") {
          report(
            `StorageClass with reclaimPolicy ${JSON.stringify(props.reclaimPolicy ?? "Delete (default)")}: deleting a PVC would delete its volume; set \`reclaimPolicy: "Retain"\`.`,
          );
        }
        return;
      }
      if ((args.type === T.bucket || args.type === T.bucketV2) && !isLokiBucket(props)) {
        return args.notApplicable("not the Loki bucket");
      }
      if (args.opts.protect !== true) {
        report(
          `${STORES[args.type]} is not protected: create it with \`protect: true\` (and \`retainOnDelete: true\`) so \`pulumi destroy\` or a replacement cannot drop it.`,
        );
      }
    },
  });
}

export const storesProtectedProd = storesProtected("mandatory");
export const storesProtectedNonProd = storesProtected("advisory");
