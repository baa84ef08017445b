/**
 * What every part of an environment component (staging's ECS parts, prod's cluster and objects,
 * the shared AWS network) receives: its parent, its name prefix and the tags of the stack.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Options every part passes to the resources it creates. */
export interface PartOptions {
  /** The environment component (`EcsStack`, `EksStack`): every resource is its child. */
  readonly parent: pulumi.Resource;
  /** Name prefix: the stack's `clusterName`, e.g. `prod-eu-west-1`. */
  readonly prefix: string;
  /** AWS tags for every taggable resource (`stackTags`). */
  readonly tags: Readonly<Record<string, string>>;
}
