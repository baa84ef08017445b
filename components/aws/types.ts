/**
 * The contract of the AWS network part that staging and prod share: the VPC and its subnets, as
 * `network()` (network.ts) returns them and the parts of both environments consume them.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface Network {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  /** Where the ALB lives (internet-facing). At least two AZs. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Where tasks, EFS mount targets and an internal ALB live. At least two AZs. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
}
