/** The Loki bucket's expiry rule (components/prod/cluster/lokiBucket.ts); its resources: cluster.test.ts. */
import * as assert from "node:assert/strict";
import { lokiObjectExpirationDays } from "../../../../components/prod/cluster/lokiBucket";

describe("prod cluster: Loki bucket", () => {
  it("the Loki bucket expires objects one day after the retention", () => {
    assert.equal(lokiObjectExpirationDays("30d"), 31);
    assert.equal(lokiObjectExpirationDays("720h"), 31);
    assert.equal(lokiObjectExpirationDays("2w"), 15);
    assert.throws(() => lokiObjectExpirationDays("36h"), /`lokiRetention`: got "36h"/);
    assert.throws(() => lokiObjectExpirationDays("soon"), /`lokiRetention`/);
  });
});
