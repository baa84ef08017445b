/**
 * IPv4 CIDR arithmetic shared by the settings checks and the staging network (components/aws/network.ts
 * carves its subnets with it): parsing, formatting, host bits, and whether a block is private or
 * wide. Pure; the schema (`cidr` in fields.ts) checks the syntax with `parseIpv4Cidr`.
 */

/** A CIDR block as numbers: the first address (as an unsigned integer) and the prefix length. */
export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

/** Four decimal octets without leading zeros, `/` and a prefix length (no leading zero either). */
const OCTET = "(0|[1-9]\\d{0,2})";
const IPV4_CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** The block of `cidr`, or `undefined` when it is not an IPv4 CIDR. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const m = IPV4_CIDR.exec(cidr);
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { base: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

export function formatIpv4Cidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** The network address of `block` when its address has host bits set (AWS refuses such a VPC CIDR). */
export function networkAddressIfHostBits(block: Ipv4Block): string | undefined {
  const size = 2 ** (32 - block.prefix);
  return block.base % size === 0
    ? undefined
    : formatIpv4Cidr(block.base - (block.base % size), block.prefix);
}

/** Whether `inner` lies entirely inside `outer`. */
function within(inner: Ipv4Block, outer: Ipv4Block): boolean {
  const size = 2 ** (32 - outer.prefix);
  const start = outer.base - (outer.base % size);
  return inner.prefix >= outer.prefix && inner.base >= start && inner.base < start + size;
}

/**
 * Address space that is never routed on the internet: RFC 1918 private ranges
 * (https://www.rfc-editor.org/rfc/rfc1918#section-3) and RFC 6598 shared address space
 * (https://www.rfc-editor.org/rfc/rfc6598#section-7).
 */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
const PRIVATE_BLOCKS = PRIVATE_RANGES.map((c) => parseIpv4Cidr(c) as Ipv4Block);

/**
 * The longest prefix we call "world-open": a public block with more addresses than a /16 (65,536) —
 * the largest block a single organisation is normally assigned — is treated like `0.0.0.0/0`.
 * Our policy, not an AWS limit.
 */
export const WIDEST_SCOPED_PREFIX = 16;

/** Whether `cidr` reaches a wide part of the internet: public (not private) and wider than a /16. */
export function isWorldOpen(cidr: string): boolean {
  const block = parseIpv4Cidr(cidr);
  if (block === undefined) return false;
  return (
    block.prefix < WIDEST_SCOPED_PREFIX && !PRIVATE_BLOCKS.some((range) => within(block, range))
  );
}
