/** Policy 4: no security group ingress open to everyone, except the load balancer's listener ports. */
import { define } from "./define";
import { T } from "./types";
import { hasWord, isObject, type JsonObject, list, nameTag, num, text } from "./values";

/** The ports an internet-facing ALB listens on; the only ones open to everyone. */
export const ALB_LISTENER_PORTS: readonly number[] = [80, 443];

/** Words that mark a security group (or one of its rules) as the load balancer's. */
const ALB_WORD = /alb|load[ -]?balancer/;

/** One ingress permission, whatever resource declared it. */
interface Ingress {
  readonly where: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
  /** The rule or its group is marked as the load balancer's (see `isAlbMarked`). */
  readonly alb: boolean;
}

/** `0.0.0.0/0`, `::/0` (any `/0`): everyone. */
const isEveryone = (cidr: string) => /\/0$/.test(cidr.trim());

/**
 * Whether the rule is the ALB's: its description, `Name` tag, or its security group's description,
 * name or `Name` tag says `ALB` / `load balancer` as a word. A resource policy sees one resource
 * at a time and the security group ID is unknown at preview, so it cannot follow the rule to the
 * `aws.lb.LoadBalancer` that uses the group; the program names the group `<prefix>-alb`, describes it
 * as "Monitoring ALB: …" and names its rules `<prefix>-alb-in-<port>-<peer>`.
 */
function isAlbMarked(...labels: (string | undefined)[]): boolean {
  return labels.some((l) => hasWord(l, ALB_WORD));
}

function ingressesOf(type: string, props: JsonObject): Ingress[] {
  const cidrsOf = (...vs: unknown[]) =>
    vs.flatMap((v) => (typeof v === "string" ? [v] : list(v).filter((x) => typeof x === "string")));
  switch (type) {
    case T.ingressRule:
      return [
        {
          where: "rule",
          protocol: text(props.ipProtocol) ?? "",
          fromPort: num(props.fromPort),
          toPort: num(props.toPort),
          cidrs: cidrsOf(props.cidrIpv4, props.cidrIpv6),
          alb: isAlbMarked(text(props.description), nameTag(props)),
        },
      ];
    case T.sgRule:
      if (props.type !== "ingress") return [];
      return [
        {
          where: "rule",
          protocol: text(props.protocol) ?? "",
          fromPort: num(props.fromPort),
          toPort: num(props.toPort),
          cidrs: cidrsOf(props.cidrBlocks, props.ipv6CidrBlocks),
          alb: isAlbMarked(text(props.description)),
        },
      ];
    default: {
      const group = isAlbMarked(
        text(props.description),
        text(props.name),
        text(props.namePrefix),
        nameTag(props),
      );
      return list(props.ingress).flatMap((r, i) =>
        isObject(r)
          ? [
              {
                where: `ingress[${i}]`,
                protocol: text(r.protocol) ?? "",
                fromPort: num(r.fromPort),
                toPort: num(r.toPort),
                cidrs: cidrsOf(r.cidrBlocks, r.ipv6CidrBlocks),
                alb: group || isAlbMarked(text(r.description)),
              },
            ]
          : [],
      );
    }
  }
}

/** Whether the permission is exactly one ALB listener port over TCP. */
function isListenerPort(i: Ingress): boolean {
  const tcp = ["tcp", "6"].includes(i.protocol.toLowerCase());
  return (
    tcp &&
    i.fromPort !== undefined &&
    i.fromPort === i.toPort &&
    ALB_LISTENER_PORTS.includes(i.fromPort)
  );
}

export const noPublicIngress = define({
  name: "no-public-ingress",
  description:
    "No security group ingress from 0.0.0.0/0 or ::/0, except TCP 80/443 on the load balancer's security group.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.ingressRule, T.sgRule, T.securityGroup, T.defaultSecurityGroup],
  check: (props, args, report) => {
    for (const i of ingressesOf(args.type, props)) {
      const open = i.cidrs.filter(isEveryone);
      if (open.length === 0 || (i.alb && isListenerPort(i))) continue;
      const ports =
        i.fromPort === i.toPort ? `port ${i.fromPort}` : `ports ${i.fromPort}-${i.toPort}`;
      const what = ["-1", "all"].includes(i.protocol.toLowerCase())
        ? "all traffic"
        : `${i.protocol} ${ports}`;
      report(
        `${i.where}: ${what} open to ${open.join(", ")}. Only the load balancer's listener ports (${ALB_LISTENER_PORTS.join(", ")}, TCP) may be public; restrict the source CIDRs (e.g. \`adminCidrs\`).`,
      );
    }
  },
});
