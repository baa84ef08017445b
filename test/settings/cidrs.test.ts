/**
 * IPv4 CIDR arithmetic (settings/cidrs.ts): parsing, host bits, and which admin ranges count as
 * world-open.
 */
import assert from "node:assert/strict";
import {
  formatIpv4Cidr,
  isWorldOpen,
  networkAddressIfHostBits,
  parseIpv4Cidr,
} from "../../settings/cidrs";

describe("settings (settings/cidrs.ts)", () => {
  it("parses a block into its first address and prefix, and formats it back", () => {
    // 10.40.0.0 = 10·2^24 + 40·2^16 = 170_393_600
    assert.deepEqual(parseIpv4Cidr("10.40.0.0/16"), { base: 170_393_600, prefix: 16 });
    assert.equal(formatIpv4Cidr(170_393_600, 16), "10.40.0.0/16");
    assert.equal(parseIpv4Cidr("10.0.0.256/16"), undefined);
    assert.equal(parseIpv4Cidr("10.0.0.0/33"), undefined);
    // The whole syntax is checked here (the `cidr` schema uses it): no leading zeros, no missing parts.
    assert.deepEqual(parseIpv4Cidr("0.0.0.0/0"), { base: 0, prefix: 0 });
    assert.deepEqual(parseIpv4Cidr("255.255.255.255/32"), { base: 4_294_967_295, prefix: 32 });
    for (const bad of [
      "010.0.0.0/8",
      "10.0.0.0/08",
      "10.0.0/8",
      "10.0.0.0",
      "10.0.0.0/",
      " 10.0.0.0/8",
    ])
      assert.equal(parseIpv4Cidr(bad), undefined, bad);
  });

  it("finds the network address of a block with host bits set", () => {
    assert.equal(networkAddressIfHostBits({ base: 170_393_600, prefix: 16 }), undefined);
    const block = parseIpv4Cidr("10.40.1.0/16");
    assert.ok(block);
    assert.equal(networkAddressIfHostBits(block), "10.40.0.0/16");
  });

  it("calls public ranges wider than /16 world-open, never private ones", () => {
    for (const open of ["0.0.0.0/0", "0.0.0.0/1", "8.0.0.0/8", "203.0.0.0/15"])
      assert.ok(isWorldOpen(open), open);
    for (const scoped of [
      "203.0.113.0/24",
      "198.51.0.0/16",
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.0.0/16",
      "100.64.0.0/10",
    ])
      assert.ok(!isWorldOpen(scoped), scoped);
    // 172.0.0.0/8 contains 172.16.0.0/12 but also public addresses.
    assert.ok(isWorldOpen("172.0.0.0/8"));
  });
});
