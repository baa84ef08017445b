/**
 * Valid Fargate task sizes (Linux), from the AWS ECS developer guide, "Task CPU and memory"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 * 8 and 16 vCPU need platform version 1.4.0, which the stack pins; and the cheapest valid size
 * that holds a need. Pure.
 */
import { formatBytes, MiB } from "./units";

/** CPU units → the memory sizes (MiB) Fargate accepts with it. */
const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The largest Fargate task: the largest CPU with its largest memory (16 vCPU / 120 GiB). */
export const FARGATE_MAX: TaskSize = ((): TaskSize => {
  const cpu = Math.max(...Object.keys(FARGATE_SIZES).map(Number));
  return { cpu, memory: Math.max(...FARGATE_SIZES[cpu]) };
})();

export interface TaskSize {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** MiB. */
  readonly memory: number;
}

/** Why a size is not a valid Fargate size, or undefined when it is. */
export function fargateSizeProblem(size: TaskSize): string | undefined {
  const memories = FARGATE_SIZES[size.cpu];
  if (memories === undefined) {
    return `cpu ${size.cpu} is not a Fargate CPU size; allowed: ${Object.keys(FARGATE_SIZES).join(", ")} (1024 = 1 vCPU)`;
  }
  if (!memories.includes(size.memory)) {
    const first = memories[0];
    const last = memories[memories.length - 1];
    const step = memories.length > 1 ? memories[1] - memories[0] : 0;
    return (
      `memory ${size.memory} MiB is not allowed with cpu ${size.cpu}; allowed: ` +
      (memories.length <= 3 ? memories.join(", ") : `${first} to ${last} in steps of ${step}`) +
      " MiB"
    );
  }
  return undefined;
}

/** A staging service's needs (main container plus `SIDECAR`) and the task that holds them. */
export interface FargateFit {
  readonly need: TaskSize;
  /** The cheapest valid Fargate size at or above `need`; undefined when even the largest is too small. */
  readonly size?: TaskSize;
}

/**
 * The cheapest valid Fargate size with at least `need` CPU and memory: the smallest CPU whose
 * memory range reaches `need.memory`, with the smallest memory step at or above it.
 */
export function fargateFit(need: TaskSize): FargateFit {
  for (const cpu of Object.keys(FARGATE_SIZES).map(Number)) {
    if (cpu < need.cpu) continue;
    const memory = FARGATE_SIZES[cpu].find((m) => m >= need.memory);
    if (memory !== undefined) return { need, size: { cpu, memory } };
  }
  return { need };
}

/** `1 vCPU / 4 GiB` for a Fargate size. */
export function formatTask(size: TaskSize): string {
  return `${size.cpu / 1024} vCPU / ${formatBytes(size.memory * MiB)}`;
}
