/** ECS task definitions as the policies read them: their container definitions, parsed. */
import type { ReportViolation } from "@pulumi/policy";
import { isObject, type JsonObject, list, text } from "./values";

/** ECS container definitions from their JSON; a parse failure is reported, not thrown. */
export function containerDefinitions(props: JsonObject, report: ReportViolation): JsonObject[] {
  const raw = props.containerDefinitions;
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      report(`containerDefinitions is not valid JSON: ${(e as Error).message}`);
      return [];
    }
  }
  return list(parsed).filter(isObject);
}

/** A container's name for a violation message. */
export const containerLabel = (c: JsonObject, i: number) => text(c.name) ?? `container ${i}`;
