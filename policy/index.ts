/**
 * The monitoring stack's CrossGuard policy pack. Run it with a preview or update:
 * `(cd policy && npm ci) && pulumi preview --stack <stack> --policy-pack policy` (see README.md).
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("monitoring-stack", { policies: [...policies] });
