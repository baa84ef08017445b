/**
 * The prod settings that end up in Kubernetes objects, checked by Kubernetes' own rules
 * (catalog/kubernetesSyntax.ts): zod schemas for fields.ts (names, namespaces, label selectors,
 * Service port names, ingress class and hosts, TLS Secret and ClusterIssuer names) and the name
 * each ServiceMonitor gets, with the cross-field check that no two entries share it.
 */
import { z } from "zod";
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  ingressClassNameProblem,
  ingressHostProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from "../catalog/kubernetesSyntax";

/** A string schema refused with the rule's own sentence (`undefined` = valid). */
function k8sString(problem: (value: string) => string | undefined, example: string) {
  return z.string().superRefine((value, ctx) => {
    const text = problem(value);
    if (text !== undefined)
      ctx.addIssue({ code: "custom", message: `${text}, e.g. \`${example}\`` });
  });
}

/** A namespace name (DNS-1123 label). */
export const namespaceName = k8sString(dns1123LabelProblem, "databases");

/** A name that must also fit in a DNS label (ServiceMonitor entry names). */
export const dnsLabelName = k8sString(dns1123LabelProblem, "postgresql");

/** A Service port name, which ServiceMonitor endpoints refer to: a DNS-1123 label. */
export const servicePortName = k8sString(dns1123LabelProblem, "http-metrics");

/** An object name such as a Secret's or a ClusterIssuer's (DNS-1123 subdomain). */
export const objectName = (example: string) => k8sString(dns1123SubdomainProblem, example);

/** `spec.ingressClassName` of an Ingress. */
export const ingressClassName = k8sString(ingressClassNameProblem, "nginx");

/** A ServiceMonitor `selector.matchLabels`: label keys and values by Kubernetes' rules. */
export const labelSelector = z
  .record(
    k8sString(qualifiedNameProblem, "app.kubernetes.io/name"),
    k8sString(labelValueProblem, "postgresql"),
  )
  .refine((l) => Object.keys(l).length > 0, { message: "needs at least one label" });

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A UI host: a valid Ingress host (catalog `ingressHostProblem`) that is also a plain DNS name,
 * since it is the UI's URL too: no wildcard, no IP, at least one dot, a letters-only TLD, and
 * labels of at most 63 characters (RFC 1035).
 */
export const uiHost = z.string().superRefine((host, ctx) => {
  const message = host.startsWith("*.")
    ? "must be one host, not a wildcard: it is also the UI's URL (e.g. `grafana.example.com`)"
    : ingressHostProblem(host) === undefined && DNS_NAME.test(host)
      ? undefined
      : "must be a DNS name such as `grafana.example.com` (lower-case letters, digits, `-` and `.`)";
  if (message !== undefined) ctx.addIssue({ code: "custom", message });
});

/** A metrics path: `/` and URL path characters only (no query, fragment or spaces). */
export const metricsPath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, {
  message:
    "must be a URL path starting with `/` (letters, digits and `-._~!$&'()*+,;=:@%/`; no query `?`, fragment `#` or spaces)",
});

/** What `serviceMonitorName` needs of an entry. */
export interface ServiceMonitorIdentity {
  readonly name: string;
  readonly namespace: string;
}

/**
 * The name of the ServiceMonitor an entry creates in the monitoring namespace:
 * `<namespace>-<name>`, so entries of different namespaces may share `name`.
 */
export function serviceMonitorName(m: ServiceMonitorIdentity): string {
  return `${m.namespace}-${m.name}`;
}

/**
 * One problem per entry whose ServiceMonitor name is not a valid object name (DNS-1123
 * subdomain) or is taken by an earlier entry (`a-b`/`c` and `a`/`b-c` both make `a-b-c`).
 */
export function serviceMonitorNameProblems(
  monitors: readonly ServiceMonitorIdentity[],
): { readonly index: number; readonly message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const seen = new Map<string, number>();
  for (const [i, m] of monitors.entries()) {
    const name = serviceMonitorName(m);
    const invalid = dns1123SubdomainProblem(name);
    const other = seen.get(name);
    if (invalid !== undefined) {
      problems.push({
        index: i,
        message: `\`serviceMonitors[${i}]\`: got ${JSON.stringify(`${m.namespace}/${m.name}`)} — the ServiceMonitor name ${JSON.stringify(name)} (\`<namespace>-<name>\`) ${invalid}; change \`name\` or \`namespace\`.`,
      });
    } else if (other !== undefined) {
      problems.push({
        index: i,
        message: `\`serviceMonitors[${i}]\`: got ${JSON.stringify(`${m.namespace}/${m.name}`)} — \`serviceMonitors[${i}]\` and \`serviceMonitors[${other}]\` would both create the ServiceMonitor ${JSON.stringify(name)} (\`<namespace>-<name>\`), names must be unique; rename one of them.`,
      });
    }
    if (other === undefined) seen.set(name, i);
  }
  return problems;
}
