/**
 * `parse` from `yaml` for the large reference files the tests read (the upstream charts' values,
 * 580 KB of YAML that take a fifth of a second to parse): each text's value is kept as JSON in the
 * temp directory under the text's hash, so it is parsed once per machine. A value that would not
 * survive JSON unchanged (`.inf`, `.nan`) is parsed every time instead.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";

const CACHE = path.join(os.tmpdir(), "monitoring-stack-yaml");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser's version keys the cache
const VERSION = (require("yaml/package.json") as { version: string }).version;

export function parseLarge(text: string): unknown {
  const hash = createHash("sha256").update(`yaml ${VERSION}\n`).update(text).digest("hex");
  const cached = path.join(CACHE, `${hash}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8")) as unknown;
  const value = parse(text) as unknown;
  const json = JSON.stringify(value);
  if (isDeepStrictEqual(JSON.parse(json), value)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const temp = `${cached}.${process.pid}`;
    fs.writeFileSync(temp, json);
    fs.renameSync(temp, cached);
  }
  return value;
}
