/**
 * Entry point: reads the stack's settings, deploys the environment's component and exports the same
 * outputs for every environment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringStackOutputs } from "./components/contract";
import type { Environment } from "./catalog/environments";
import { CONTENT_CHECKS } from "./content/checks";
import { loadSettings } from "./settings/load";
import type { Settings } from "./settings/settings";

type Deploy = (name: string, settings: Settings) => MonitoringStackOutputs & TargetOutputs;

/** Outputs only the staging (ECS) or the prod (EKS) stack has. */
interface TargetOutputs {
  readonly albDnsName?: pulumi.Output<string>;
  readonly efsFileSystemId?: pulumi.Output<string>;
  readonly ecsClusterName?: pulumi.Output<string>;
  readonly eksClusterName?: pulumi.Output<string>;
  /** Secret; only when the stack created the cluster. */
  readonly kubeconfig?: pulumi.Output<string>;
}

/**
 * One deploy function per environment. Components are required lazily so that a stack loads only its
 * own cloud SDK: `dev` never loads @pulumi/aws or @pulumi/kubernetes. The components import each SDK
 * class from its own module (`@pulumi/aws/ec2/vpc`, `@pulumi/kubernetes/helm/v3/release`), never a
 * package or service index: those also load mixins (Lambda, via `cloudwatch` and `s3`) or, for
 * `helm/v3`, every Kubernetes API group (110 modules). `npm run bench` measures the evaluation.
 */
const DEPLOY: Record<Environment, Deploy> = {
  dev: (name, settings) => {
    type Module = typeof import("./components/dev/localStack");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
    const { LocalStack } = require("./components/dev/localStack") as Module;
    return new LocalStack(name, { settings });
  },
  staging: (name, settings) => {
    type Module = typeof import("./components/staging/ecsStack");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
    const { EcsStack } = require("./components/staging/ecsStack") as Module;
    return new EcsStack(name, { settings });
  },
  prod: (name, settings) => {
    type Module = typeof import("./components/prod/eksStack");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
    const { EksStack } = require("./components/prod/eksStack") as Module;
    return new EksStack(name, { settings });
  },
};

const settings = loadSettings({ checks: CONTENT_CHECKS });
const stack = DEPLOY[settings.environment]("monitoring", settings);

export const environment = settings.environment;
export const clusterName = settings.clusterName;
export const grafanaUrl = stack.grafanaUrl;
export const prometheusUrl = stack.prometheusUrl;
export const alertmanagerUrl = stack.alertmanagerUrl;
export const lokiUrl = stack.lokiUrl;
export const workloads = stack.workloads;
export const grafanaAdminUser = pulumi.output(settings.grafana.adminUser);
// staging only (undefined, so not exported, elsewhere)
export const albDnsName = stack.albDnsName;
export const efsFileSystemId = stack.efsFileSystemId;
export const ecsClusterName = stack.ecsClusterName;
// prod only
export const eksClusterName = stack.eksClusterName;
export const kubeconfig = stack.kubeconfig;
