/**
 * How the UIs are exposed through the `ingress` setting: TLS (cert-manager or an existing Secret)
 * and the URL scheme that follows from it, for the chart ingresses and the stack's URL outputs.
 */
import type { K8sSettings } from "../../../settings/settings";
import type { HelmValue, HelmValues } from "./types";

/** The `ingress` setting, when one is configured. */
export type IngressSettings = NonNullable<K8sSettings["ingress"]>;

/** `https` when the ingress terminates TLS (a cert-manager issuer or a TLS Secret), else `http`. */
export function ingressScheme(ingress: IngressSettings): "https" | "http" {
  return ingress.clusterIssuer !== undefined || ingress.tlsSecretName !== undefined
    ? "https"
    : "http";
}

/** The public URL of a UI served at `host` (no trailing '/'). */
export function ingressUrl(ingress: IngressSettings, host: string): string {
  return `${ingressScheme(ingress)}://${host}`;
}

/** TLS and cert-manager settings of one chart ingress for `host`. */
export function ingressTls(
  ingress: IngressSettings,
  host: string,
  component: string,
): { annotations: HelmValues; tls: HelmValue[] } {
  if (ingress.clusterIssuer !== undefined) {
    return {
      annotations: { "cert-manager.io/cluster-issuer": ingress.clusterIssuer },
      // cert-manager's ingress-shim issues a certificate into this Secret.
      tls: [{ secretName: `${component}-tls`, hosts: [host] }],
    };
  }
  if (ingress.tlsSecretName !== undefined) {
    return { annotations: {}, tls: [{ secretName: ingress.tlsSecretName, hosts: [host] }] };
  }
  return { annotations: {}, tls: [] };
}
