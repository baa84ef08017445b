/**
 * The GitHub workflows as the delivery tests read them: a typed model of .github/workflows/*.yml
 * (only what the assertions read) and the two workflows parsed. Used by test/delivery/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./harness";

export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");
export const WORKFLOW_FILES = ["pull-request.yml", "deploy.yml"];

// ---------------------------------------------------------------------------------------------
// Workflow model (only what the assertions read).
// ---------------------------------------------------------------------------------------------

export type Permissions = Record<string, string> | string | undefined;

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "working-directory"?: string;
}

export interface Job {
  readonly name?: string;
  readonly "runs-on"?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Permissions;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Permissions;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export const text = (file: string) => fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
export const workflow = (file: string) => parse(text(file)) as Workflow;
export const PR = workflow("pull-request.yml");
export const DEPLOY = workflow("deploy.yml");
