/**
 * Entry point: reads the stack's settings, deploys the environment's component and exports the same
 * outputs for every environment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringStackOutputs } from "./components/contract";
import { Environment, loadSettings, Settings } from "./config/settings";

type Deploy = (name: string, settings: Settings) => MonitoringStackOutputs;

const notBuiltYet =
  (environment: Environment, issue: string): Deploy =>
  () => {
    throw new Error(
      `the \`${environment}\` environment is not built yet (${issue}); ` +
        "only `dev` (local Docker) can be deployed today.",
    );
  };

/**
 * One deploy function per environment. Components are required lazily so that a stack loads only its
 * own cloud SDK: `dev` never loads @pulumi/aws or @pulumi/kubernetes.
 */
const DEPLOY: Record<Environment, Deploy> = {
  dev: (name, settings) => {
    type Module = typeof import("./components/localStack");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
    const { LocalStack } = require("./components/localStack") as Module;
    return new LocalStack(name, { settings });
  },
  staging: notBuiltYet("staging", "ECS Fargate, issue #4"),
  prod: notBuiltYet("prod", "EKS, issue #5"),
};

const settings = loadSettings();
const stack = DEPLOY[settings.environment]("monitoring", settings);

export const environment = settings.environment;
export const clusterName = settings.clusterName;
export const grafanaUrl = stack.grafanaUrl;
export const prometheusUrl = stack.prometheusUrl;
export const alertmanagerUrl = stack.alertmanagerUrl;
export const lokiUrl = stack.lokiUrl;
export const workloads = stack.workloads;
export const grafanaAdminUser = pulumi.output(settings.grafana.adminUser);
