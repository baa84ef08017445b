/**
 * Kubernetes' own syntax rules for the values the program puts into objects: object names, label
 * keys and values, annotations, port names, ingress class names and ingress hosts. Each rule is the
 * upstream one, ported from k8s.io/apimachinery/pkg/util/validation/validation.go (and the callers
 * named next to each), and returns `undefined` for a valid value or the sentence that says what is
 * allowed, worded to follow "got <value> — " in a settings message. Pure, no imports: settings/
 * validates with it, components/ may use it for values they derive.
 */

/**
 * Upstream limits, each from validation.go unless noted.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set
 */
export const K8S_LIMITS = {
  /** `DNS1123LabelMaxLength`: namespaces, Service names, Service port names. */
  dns1123Label: 63,
  /** `DNS1123SubdomainMaxLength`: most object names (Secrets, ConfigMaps, IngressClasses, …). */
  dns1123Subdomain: 253,
  /** `qualifiedNameMaxLength`: the name part of a label or annotation key. */
  qualifiedName: 63,
  /** `LabelValueMaxLength`. */
  labelValue: 63,
  /**
   * `TotalAnnotationSizeLimitB` (k8s.io/apimachinery/pkg/api/validation/objectmeta.go): keys plus
   * values of all annotations of one object, in bytes.
   */
  annotationsTotalBytes: 256 * 1024,
  /** IANA_SVC_NAME (`IsValidPortName`, RFC 6335 §5.1): container port names. */
  portName: 15,
} as const;

/** `dns1123LabelFmt`. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** `dns1123SubdomainFmt`: DNS-1123 labels joined by `.` (each label is not limited on its own). */
export const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** `qualifiedNameFmt`: the name part of a qualified name; `labelValueFmt` is this or empty. */
export const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** An IPv4 or IPv6 literal, which an Ingress rule's host must not be. */
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/;

const LABEL_RULE = `at most ${K8S_LIMITS.dns1123Label} lower-case letters, digits and \`-\`, starting and ending with a letter or digit`;
const SUBDOMAIN_RULE = `at most ${K8S_LIMITS.dns1123Subdomain} lower-case letters, digits, \`-\` and \`.\`, each \`.\`-separated part starting and ending with a letter or digit`;
const NAME_PART_RULE = `at most ${K8S_LIMITS.qualifiedName} letters, digits, \`-\`, \`_\` and \`.\`, starting and ending with a letter or digit`;

/** `IsDNS1123Label`: namespace names, Service names and Service port names. */
export function dns1123LabelProblem(value: string): string | undefined {
  return value.length <= K8S_LIMITS.dns1123Label && DNS1123_LABEL.test(value)
    ? undefined
    : `must be a DNS-1123 label: ${LABEL_RULE}`;
}

/** `IsDNS1123Subdomain`: the names of most objects (Secrets, ConfigMaps, ClusterIssuers, …). */
export function dns1123SubdomainProblem(value: string): string | undefined {
  return value.length <= K8S_LIMITS.dns1123Subdomain && DNS1123_SUBDOMAIN.test(value)
    ? undefined
    : `must be a DNS-1123 subdomain: ${SUBDOMAIN_RULE}`;
}

/**
 * `IsQualifiedName`: label and annotation keys, `[prefix/]name` where the optional prefix is a
 * DNS-1123 subdomain and the name is at most 63 characters.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  const allowed = `must be a Kubernetes label key \`[prefix/]name\`: an optional DNS-1123 subdomain prefix (e.g. \`app.kubernetes.io/\`) and a name of ${NAME_PART_RULE}`;
  if (parts.length > 2) return allowed;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && dns1123SubdomainProblem(prefix) !== undefined) return allowed;
  return name.length <= K8S_LIMITS.qualifiedName && QUALIFIED_NAME.test(name) ? undefined : allowed;
}

/** `IsValidLabelValue`: empty, or at most 63 characters like the name part of a label key. */
export function labelValueProblem(value: string): string | undefined {
  return value === "" || (value.length <= K8S_LIMITS.labelValue && QUALIFIED_NAME.test(value))
    ? undefined
    : `must be a Kubernetes label value: empty or ${NAME_PART_RULE}`;
}

/**
 * `ValidateAnnotations` (objectmeta.go): every key, lower-cased, is a qualified name, and keys plus
 * values of all annotations take at most 256 KiB.
 */
export function annotationsProblem(
  annotations: Readonly<Record<string, string>>,
): string | undefined {
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const [key, value] of Object.entries(annotations)) {
    const problem = qualifiedNameProblem(key.toLowerCase());
    if (problem !== undefined) return `annotation key ${JSON.stringify(key)} ${problem}`;
    bytes += encoder.encode(key).length + encoder.encode(value).length;
  }
  return bytes <= K8S_LIMITS.annotationsTotalBytes
    ? undefined
    : `annotations must take at most ${K8S_LIMITS.annotationsTotalBytes} bytes in all (keys and values), got ${bytes}`;
}

/**
 * `IsValidPortName` (IANA_SVC_NAME): container port names, at most 15 lower-case letters, digits and
 * `-`, with at least one letter, no leading or trailing `-` and no `--`. Service port names, which
 * a ServiceMonitor endpoint refers to, are DNS-1123 labels instead (`validateServicePort` in
 * k8s.io/kubernetes/pkg/apis/core/validation/validation.go).
 */
export function portNameProblem(value: string): string | undefined {
  const ok =
    value.length >= 1 &&
    value.length <= K8S_LIMITS.portName &&
    /^[-a-z0-9]+$/.test(value) &&
    /[a-z]/.test(value) &&
    !value.includes("--") &&
    !value.startsWith("-") &&
    !value.endsWith("-");
  return ok
    ? undefined
    : `must be an IANA service name: at most ${K8S_LIMITS.portName} lower-case letters, digits and \`-\`, with at least one letter, no \`--\`, not starting or ending with \`-\``;
}

/**
 * `ValidateIngressClassName` (k8s.io/kubernetes/pkg/apis/networking/validation/validation.go):
 * an IngressClass is named like most objects, a DNS-1123 subdomain.
 */
export function ingressClassNameProblem(value: string): string | undefined {
  const problem = dns1123SubdomainProblem(value);
  return problem === undefined ? undefined : `must name an IngressClass, so it ${problem}`;
}

/**
 * An Ingress rule's `host` (`validateIngressRules`, networking validation.go): a DNS-1123
 * subdomain, not an IP address; a wildcard `*.` is allowed only as the whole first label
 * (`IsWildcardDNS1123Subdomain`).
 */
export function ingressHostProblem(host: string): string | undefined {
  if (IP_ADDRESS.test(host)) return "must be a DNS name, not an IP address";
  const rest = host.startsWith("*.") ? host.slice(2) : host;
  return dns1123SubdomainProblem(rest) === undefined
    ? undefined
    : `must be an Ingress host: a DNS-1123 subdomain (${SUBDOMAIN_RULE}), optionally starting with the wildcard label \`*.\``;
}
