/**
 * The environments the program deploys to: `dev` (Docker), `staging` (ECS Fargate), `prod` (EKS +
 * Helm). Every per-environment table is keyed by `Environment`, so adding one is a type error
 * everywhere it needs a value.
 */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

export type Environment = (typeof ENVIRONMENTS)[number];
