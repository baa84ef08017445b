/**
 * catalog/names.ts: the ports, paths, job names and datasource UIDs every layer shares hold the
 * invariants the layers rely on (no two components on one port, one job per name, every
 * environment's jobs known).
 */
import * as assert from "node:assert/strict";
import { ENVIRONMENTS } from "../../catalog/environments";
import {
  DATASOURCE_UIDS,
  HEALTH_PATHS,
  IGNORED_FSTYPES,
  JOBS_BY_ENVIRONMENT,
  PORTS,
  READY_PATHS,
  SCRAPE_JOBS,
} from "../../catalog/names";

const unique = (values: readonly unknown[]) => new Set(values).size === values.length;

describe("the names catalogue", () => {
  it("gives every component its own port", () => {
    assert.ok(unique(Object.values(PORTS)), JSON.stringify(PORTS));
    for (const [name, port] of Object.entries(PORTS))
      assert.ok(Number.isInteger(port) && port > 0 && port < 65536, name);
  });

  it("probes absolute paths, and only components that have a port", () => {
    for (const paths of [HEALTH_PATHS, READY_PATHS])
      for (const [name, p] of Object.entries(paths)) {
        assert.match(p, /^\/[\w/.-]*$/, name);
        assert.ok(name in PORTS, `${name} has no port`);
      }
  });

  it("names each scrape job and datasource once", () => {
    assert.ok(unique(Object.values(SCRAPE_JOBS)));
    assert.ok(unique(Object.values(DATASOURCE_UIDS)));
  });

  it("lists each environment's jobs among the built-in ones; staging has no Alloy", () => {
    assert.deepEqual(Object.keys(JOBS_BY_ENVIRONMENT), [...ENVIRONMENTS]);
    for (const [env, jobs] of Object.entries(JOBS_BY_ENVIRONMENT)) {
      assert.ok(unique(jobs), env);
      for (const job of jobs) assert.ok(job in SCRAPE_JOBS, `${env}: ${job}`);
    }
    assert.equal(JOBS_BY_ENVIRONMENT.staging.includes("alloy"), false);
    assert.deepEqual(JOBS_BY_ENVIRONMENT.dev, Object.keys(SCRAPE_JOBS));
  });

  it("ignores pseudo filesystems, each once", () => {
    assert.ok(unique(IGNORED_FSTYPES));
    for (const fstype of ["tmpfs", "overlay", "squashfs"])
      assert.ok(IGNORED_FSTYPES.includes(fstype));
  });
});
