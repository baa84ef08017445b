/**
 * Contracts between the parts of the staging (ECS Fargate) stack. Each part is a function that
 * creates its resources as children of `EcsStack` (options: `PartOptions`, components/parts.ts)
 * and returns the outputs the other parts need.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EcsService } from "../../catalog/names";

/** Ports a service listens on inside its task. */
export interface ServicePorts {
  readonly main: number;
  /** node-exporter sidecar. */
  readonly nodeExporter: number;
}

export interface SecurityGroups {
  /** Attached to the ALB. */
  readonly albSecurityGroupId: pulumi.Output<string>;
  /** Attached to every task. */
  readonly tasksSecurityGroupId: pulumi.Output<string>;
}

export interface LoadBalancer {
  readonly dnsName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** Target group per exposed service (`grafana` always; the others only when exposed). */
  readonly targetGroupArns: Readonly<Partial<Record<EcsService, pulumi.Output<string>>>>;
  /** Public URL per exposed service, e.g. `https://<dns>/` for Grafana, `https://<dns>:9090/`. */
  readonly urls: Readonly<Partial<Record<EcsService, pulumi.Output<string>>>>;
}

export interface Storage {
  readonly fileSystemId: pulumi.Output<string>;
  readonly fileSystemArn: pulumi.Output<string>;
  /** One access point per stateful service. */
  readonly accessPoints: Readonly<
    Record<EcsService, { readonly id: pulumi.Output<string>; readonly arn: pulumi.Output<string> }>
  >;
}

/** Secrets Manager secrets created from the Pulumi config secrets that are set. */
export type SecretArns = Readonly<Record<string, pulumi.Output<string>>>;
