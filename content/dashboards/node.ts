/**
 * The "Node overview" dashboard: CPU, memory, disks, filesystems and network of every host
 * node-exporter scrapes.
 */
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { IGNORED_FSTYPES, SCRAPE_JOBS } from "../../catalog/names";
import {
  type DashboardFile,
  PROMETHEUS_DS,
  selectorFor,
  rate,
  notMatching,
  SATURATION_STEPS,
  promGraph,
  type StatSpec,
  promStat,
  queryVariable,
  assemble,
} from "./panels";

/** Pseudo and container filesystems whose usage says nothing about disk space. */
/** Virtual block devices. */
const IGNORED_DISKS = ["loop[0-9]+", "ram[0-9]+", "fd[0-9]+", "sr[0-9]+"];
/** Loopback and container-bridge interfaces. */
const IGNORED_NICS = ["lo", "veth.*", "docker.*", "br-.*"];

export function nodeOverview(): DashboardFile {
  const node = selectorFor(`job="${SCRAPE_JOBS.node}"`, `instance=~"$instance"`);
  const idleCpu = node("node_cpu_seconds_total", `mode="idle"`);
  const cpuCount = `count by (instance) (${idleCpu})`;
  const fs = (metric: string, ...extra: string[]): string =>
    node(metric, notMatching("fstype", IGNORED_FSTYPES), ...extra);
  const fsUsedPercent = (...extra: string[]): string =>
    `100 * (1 - ${fs("node_filesystem_avail_bytes", ...extra)} / ${fs("node_filesystem_size_bytes", ...extra)})`;
  const disk = (metric: string): string => rate(node(metric, notMatching("device", IGNORED_DISKS)));
  const nic = (metric: string): string => rate(node(metric, notMatching("device", IGNORED_NICS)));
  const memTotal = node("node_memory_MemTotal_bytes");
  const memAvailable = node("node_memory_MemAvailable_bytes");
  /** One value per selected host, four to a row. */
  const nodeStat = (spec: StatSpec): stat.PanelBuilder =>
    promStat({ legend: "{{instance}}", width: 6, ...spec });

  return assemble({
    uid: "node-overview",
    title: "Node overview",
    description:
      "Host resources reported by node_exporter: CPU, memory, filesystems, disks, network.",
    variables: [
      queryVariable(
        "instance",
        PROMETHEUS_DS,
        `label_values(node_uname_info{job="${SCRAPE_JOBS.node}"}, instance)`,
      ),
    ],
    sections: [
      {
        title: "Overview",
        panels: [
          nodeStat({
            title: "Uptime",
            description: "Time since the host booted.",
            unit: units.Seconds,
            expr: `time() - ${node("node_boot_time_seconds")}`,
          }),
          nodeStat({
            title: "CPU cores",
            description: "Logical CPUs seen by the kernel.",
            unit: units.Short,
            expr: cpuCount,
          }),
          nodeStat({
            title: "Memory",
            description: "Physical memory installed.",
            unit: units.BytesIEC,
            expr: memTotal,
          }),
          nodeStat({
            title: "Root filesystem used",
            description:
              "Share of the root filesystem in use (space reserved for root counts as used).",
            unit: units.Percent,
            expr: fsUsedPercent(`mountpoint="/"`),
            steps: SATURATION_STEPS,
          }),
        ],
      },
      {
        title: "CPU",
        panels: [
          promGraph({
            title: "CPU busy",
            description: "Share of CPU time not idle, averaged over all CPUs of the host.",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            series: [
              {
                expr: `100 * (1 - sum by (instance) (${rate(idleCpu)}) / ${cpuCount})`,
                legend: "{{instance}}",
              },
            ],
          }),
          promGraph({
            title: "Load average vs CPUs",
            description:
              "Run-queue length; sustained load above the CPU count (dashed) means work is waiting for CPU.",
            unit: units.Short,
            min: 0,
            series: [
              { expr: node("node_load1"), legend: "{{instance}} 1m" },
              { expr: node("node_load5"), legend: "{{instance}} 5m" },
              { expr: node("node_load15"), legend: "{{instance}} 15m" },
              { expr: cpuCount, legend: "{{instance}} CPUs", reference: true },
            ],
          }),
          promGraph({
            title: "CPU time by mode",
            description:
              "Non-idle CPU time per mode; high iowait or steal points at disks or the hypervisor.",
            unit: units.Percent,
            min: 0,
            width: 24,
            series: [
              {
                expr: `100 * sum by (instance, mode) (${rate(node("node_cpu_seconds_total", `mode!="idle"`))}) / on (instance) group_left ${cpuCount}`,
                legend: "{{instance}} {{mode}}",
              },
            ],
          }),
        ],
      },
      {
        title: "Memory",
        panels: [
          promGraph({
            title: "Memory used",
            description:
              "Share of memory not available for new allocations without swapping (MemAvailable).",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            series: [{ expr: `100 * (1 - ${memAvailable} / ${memTotal})`, legend: "{{instance}}" }],
          }),
          promGraph({
            title: "Memory and swap",
            description: "Memory in use, total memory (dashed) and swap in use.",
            unit: units.BytesIEC,
            min: 0,
            series: [
              { expr: `${memTotal} - ${memAvailable}`, legend: "{{instance}} used" },
              { expr: memTotal, legend: "{{instance}} total", reference: true },
              {
                expr: `${node("node_memory_SwapTotal_bytes")} - ${node("node_memory_SwapFree_bytes")}`,
                legend: "{{instance}} swap used",
              },
            ],
          }),
        ],
      },
      {
        title: "Filesystems and disks",
        panels: [
          promGraph({
            title: "Filesystem used",
            description:
              "Space used per mountpoint; tmpfs, overlay and other pseudo filesystems excluded.",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            width: 24,
            series: [{ expr: fsUsedPercent(), legend: "{{instance}} {{mountpoint}}" }],
          }),
          promGraph({
            title: "Disk I/O utilisation",
            description:
              "Share of time each device was busy with I/O (io_time); near 100 % means saturated.",
            unit: units.PercentUnit,
            min: 0,
            series: [
              { expr: disk("node_disk_io_time_seconds_total"), legend: "{{instance}} {{device}}" },
            ],
          }),
          promGraph({
            title: "Disk throughput",
            description: "Bytes read (up) and written (down) per device.",
            unit: units.BytesPerSecondSI,
            series: [
              { expr: disk("node_disk_read_bytes_total"), legend: "{{instance}} {{device}} read" },
              {
                expr: disk("node_disk_written_bytes_total"),
                legend: "{{instance}} {{device}} written",
                mirrored: true,
              },
            ],
          }),
        ],
      },
      {
        title: "Network",
        panels: [
          promGraph({
            title: "Network traffic",
            description:
              "Bytes received (up) and transmitted (down) per interface; loopback and bridges excluded.",
            unit: units.BytesPerSecondSI,
            series: [
              {
                expr: nic("node_network_receive_bytes_total"),
                legend: "{{instance}} {{device}} receive",
              },
              {
                expr: nic("node_network_transmit_bytes_total"),
                legend: "{{instance}} {{device}} transmit",
                mirrored: true,
              },
            ],
          }),
          promGraph({
            title: "Network errors and drops",
            description: "Packets with errors or dropped, received (up) and transmitted (down).",
            unit: units.PacketsPerSecond,
            series: [
              {
                expr: nic("node_network_receive_errs_total"),
                legend: "{{instance}} {{device}} rx errors",
              },
              {
                expr: nic("node_network_receive_drop_total"),
                legend: "{{instance}} {{device}} rx drops",
              },
              {
                expr: nic("node_network_transmit_errs_total"),
                legend: "{{instance}} {{device}} tx errors",
                mirrored: true,
              },
              {
                expr: nic("node_network_transmit_drop_total"),
                legend: "{{instance}} {{device}} tx drops",
                mirrored: true,
              },
            ],
          }),
        ],
      },
    ],
  });
}
