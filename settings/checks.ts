/**
 * Cross-field checks: combinations of keys that are invalid although each key is valid on its own
 * (AWS network, EKS mode, receivers and their secrets, unique names, host ports), plus the
 * injection point for checks that need knowledge settings must not import (the monitoring content).
 */
import type { Environment } from "../catalog/environments";
import { PORTS, SCRAPE_JOBS } from "../catalog/names";
import { FARGATE_MAX, fargateSizeProblem, formatTask } from "../sizing/fargate";
import { DEFAULTS } from "./defaults";
import { serviceMonitorNameProblems } from "./k8sChecks";
import type { RawValues } from "./schema";

/**
 * A check of validated values that settings cannot make itself, e.g. user rule names against the
 * built-in rules (content/checks.ts). Returns one message per problem, worded like the others.
 */
export type SettingsCheck = (values: RawValues) => readonly string[];

/**
 * Pushes a problem for every combination of keys that is invalid although each key is valid, then
 * the problems of the caller's `checks`. `present` lists the keys the stack sets, valid or not: a key
 * that is set but invalid (already reported) is never called missing.
 */
export function crossChecks(
  values: RawValues,
  problems: string[],
  checks: readonly SettingsCheck[],
  present: ReadonlySet<string> = new Set(Object.keys(values)),
  environment?: Environment,
): void {
  for (const reserved of ["cluster", "environment"]) {
    if (values.externalLabels?.[reserved] !== undefined) {
      problems.push(
        `\`externalLabels.${reserved}\` is set by the program: use \`${reserved === "cluster" ? "clusterName" : "environment"}\` instead.`,
      );
    }
  }
  const builtIn = new Set<string>(Object.values(SCRAPE_JOBS));
  const seen = new Set<string>();
  for (const [i, target] of (values.scrapeTargets ?? []).entries()) {
    if (builtIn.has(target.job)) {
      problems.push(
        `\`scrapeTargets[${i}].job\`: got "${target.job}" — built-in job names (${[...builtIn].join(", ")}) are taken.`,
      );
    } else if (seen.has(target.job)) {
      problems.push(`\`scrapeTargets[${i}].job\`: got "${target.job}" — job names must be unique.`);
    }
    seen.add(target.job);
  }
  // Checks of the caller (the rule names the monitoring content takes) run where rule names were
  // always checked, so the problems keep their order.
  for (const check of checks) problems.push(...check(values));
  sloChecks(values, problems);
  awsChecks(values, problems, present);
  // On dev and staging the cluster keys are reported as ignored (modeChecks.ts); their prod-mode
  // advice ("set eksClusterMode to existing") would contradict that.
  if (environment === undefined || environment === "prod") k8sChecks(values, problems, present);
  if (values.heartbeatToken !== undefined && !present.has("heartbeatUrl")) {
    problems.push(
      "`heartbeatToken` is set but `heartbeatUrl` is not: set `heartbeatUrl` or remove the token.",
    );
  }
  if (values.smtpPassword !== undefined && !present.has("smtp")) {
    problems.push(
      "`smtpPassword` is set but `smtp` is not: set `smtp` ({smarthost, from, to}) or remove the password.",
    );
  }
  if (values.smtp?.username !== undefined && !present.has("smtpPassword")) {
    problems.push(
      "`smtp.username` is set but the secret `smtpPassword` is missing: `pulumi config set --secret smtpPassword <value>`.",
    );
  }
  const ports = Object.entries(values.hostPorts ?? {});
  const taken = new Map<number, string>();
  for (const [name, p] of Object.entries({ ...PORTS, ...Object.fromEntries(ports) })) {
    const other = taken.get(p);
    if (other !== undefined)
      problems.push(`\`hostPorts\`: ${other} and ${name} both use host port ${String(p)}.`);
    taken.set(p, name);
  }
}

/** The cluster mode with its default applied: the checks and the assembly both read it. */
export function eksClusterMode(values: Pick<RawValues, "eksClusterMode">): "create" | "existing" {
  return values.eksClusterMode ?? DEFAULTS.eksClusterMode;
}

function k8sChecks(values: RawValues, problems: string[], present: ReadonlySet<string>): void {
  const mode = eksClusterMode(values);
  const modeInvalid = present.has("eksClusterMode") && values.eksClusterMode === undefined;
  if (mode === "existing" && !present.has("kubeconfig")) {
    problems.push(
      '`eksClusterMode` is `existing` but the secret `kubeconfig` is missing: `pulumi config set --secret kubeconfig "$(cat ~/.kube/config)"` (or use `create`).',
    );
  }
  if (mode === "create" && !modeInvalid && values.kubeconfig !== undefined) {
    problems.push(
      "`kubeconfig` is set but `eksClusterMode` is `create`: set `eksClusterMode` to `existing` to deploy into that cluster, or remove the kubeconfig.",
    );
  }
  if (
    mode === "existing" &&
    (values.remoteWrite === true || values.lokiMode === "simpleScalable")
  ) {
    problems.push(
      "`remoteWrite` and `lokiMode: simpleScalable` need IAM roles for service accounts, which the stack sets up only for a cluster it creates (`eksClusterMode: create`).",
    );
  }
  const group = values.nodeGroup;
  if (
    group !== undefined &&
    !(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize)
  ) {
    problems.push(
      `\`nodeGroup\`: got min ${group.minSize}, desired ${group.desiredSize}, max ${group.maxSize} — must satisfy minSize ≤ desiredSize ≤ maxSize.`,
    );
  }
  const ingress = values.ingress;
  if (ingress?.clusterIssuer !== undefined && ingress.tlsSecretName !== undefined) {
    problems.push(
      "`ingress`: set either `clusterIssuer` (cert-manager) or `tlsSecretName`, not both.",
    );
  }
  for (const { message } of serviceMonitorNameProblems(values.serviceMonitors ?? []))
    problems.push(message);
}

function awsChecks(values: RawValues, problems: string[], present: ReadonlySet<string>): void {
  const subnets = values.publicSubnetIds !== undefined || values.privateSubnetIds !== undefined;
  if (!present.has("vpcId") && subnets) {
    problems.push(
      "`publicSubnetIds`/`privateSubnetIds` are set but `vpcId` is not: subnets belong to an existing VPC; set `vpcId` too, or remove them to let the stack create a VPC.",
    );
  }
  if (values.vpcId !== undefined) {
    if (!present.has("privateSubnetIds")) {
      problems.push(
        "`vpcId` is set but `privateSubnetIds` is not: list at least two private subnets of the VPC for the tasks and EFS.",
      );
    }
    const albInternalInvalid = present.has("albInternal") && values.albInternal === undefined;
    if (!present.has("publicSubnetIds") && values.albInternal !== true && !albInternalInvalid) {
      problems.push(
        "`vpcId` is set but `publicSubnetIds` is not: an internet-facing ALB needs two public subnets (or set `albInternal` to true).",
      );
    }
  }
  if (values.vpcCidr !== undefined && !present.has("vpcId")) {
    const prefix = Number(values.vpcCidr.split("/")[1]);
    // Two AZs × (public + private) /20 subnets, taken from the lower and upper half: at least a /18.
    if (prefix > 18) {
      problems.push(
        `\`vpcCidr\`: got "${values.vpcCidr}" — must be a /18 or larger (e.g. \`10.40.0.0/16\`): the stack carves four /20 subnets out of it.`,
      );
    }
  }
  for (const [service, size] of Object.entries(values.taskSizes ?? {})) {
    if (size === undefined) continue;
    const problem = fargateSizeProblem(size);
    if (problem !== undefined) {
      problems.push(
        `\`taskSizes.${service}\`: got ${JSON.stringify(size)} — ${problem}. For more than Fargate's ${formatTask(FARGATE_MAX)} use the \`prod\` (EKS) stack.`,
      );
    }
  }
}

function sloChecks(values: RawValues, problems: string[]): void {
  const slos = new Set<string>();
  for (const [i, slo] of (values.slos ?? []).entries()) {
    if (slos.has(slo.name))
      problems.push(`\`slos[${i}].name\`: got "${slo.name}" — SLO names must be unique.`);
    slos.add(slo.name);
  }
}
