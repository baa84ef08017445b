/**
 * The Pulumi mocks the program runs under (see `runner.ts`): every registered resource's type, name
 * and inputs are recorded, and AWS answers with fixed account, region, zones and the few computed
 * outputs the program reads.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine would receive them; secret values stay wrapped (see `isSecretWrapper`). */
  readonly inputs: Record<string, unknown>;
}

/** Whether a recorded value is a secret (the mocks receive secrets as the SDK serializes them). */
export function isSecretWrapper(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "eu-west-1";
export const MOCK_AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/** What a mocked EKS cluster reports: API endpoint, CA data and OIDC issuer. */
export const MOCK_EKS = {
  endpoint: `https://0123456789ABCDEF0123456789ABCDEF.gr7.${MOCK_REGION}.eks.amazonaws.com`,
  certificateAuthority: Buffer.from("-----BEGIN CERTIFICATE-----\nmock\n").toString("base64"),
  issuer: `https://oidc.eks.${MOCK_REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
} as const;

/** What the mocks have recorded since the last `startRecording`. */
let recorded: RecordedResource[] = [];

/** Starts a new record; resources recorded before are no longer counted. */
export function startRecording(): void {
  recorded = [];
}

/** The resources registered since `startRecording` (the live list: late registrations land in it). */
export function recordedResources(): RecordedResource[] {
  return recorded;
}

/** The number of resources registered so far (to prove a failure happened before any). */
export function registeredCount(): number {
  return recorded.length;
}

export const mocks: pulumi.runtime.Mocks = {
  newResource: (args: pulumi.runtime.MockResourceArgs) => {
    const inputs = args.inputs as Record<string, unknown>;
    recorded.push({ type: args.type, name: args.name, inputs });
    const state: Record<string, unknown> = { ...inputs };
    if (args.type === "docker:index/remoteImage:RemoteImage") {
      // A deterministic fake image ID derived from the pinned reference.
      state.imageId = `sha256:${Buffer.from(String(inputs.name)).toString("hex").slice(0, 24)}`;
    }
    if (args.type.startsWith("aws:")) Object.assign(state, awsState(args.type, args.name, inputs));
    return { id: `${args.name}-id`, state };
  },
  call: (args: pulumi.runtime.MockCallArgs) => {
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: MOCK_AZS, zoneIds: MOCK_AZS.map((_, i) => `euw1-az${i + 1}`) };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_ACCOUNT,
          arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`,
          userId: "x",
        };
      case "aws:index/getRegion:getRegion":
        return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com" };
      default:
        return args.inputs as Record<string, unknown>;
    }
  },
};

/** Outputs AWS would compute: an ARN for everything, plus the few other values the program reads. */
function awsState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const service = type.split(":")[1].split("/")[0];
  const state: Record<string, unknown> = {
    arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`,
  };
  if (type === "aws:lb/loadBalancer:LoadBalancer") {
    state.dnsName = `${name}-1234567890.${MOCK_REGION}.elb.amazonaws.com`;
    state.zoneId = "Z32O12XQLNTSW2";
  }
  if (type === "aws:ec2/vpc:Vpc") state.cidrBlock = inputs.cidrBlock;
  if (type === "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace") {
    state.hostedZone = `${name}-zone`;
  }
  if (type === "aws:efs/fileSystem:FileSystem")
    state.dnsName = `${name}.efs.${MOCK_REGION}.amazonaws.com`;
  if (type === "aws:eks/cluster:Cluster") {
    state.endpoint = MOCK_EKS.endpoint;
    state.certificateAuthority = { data: MOCK_EKS.certificateAuthority };
    state.identities = [{ oidcs: [{ issuer: MOCK_EKS.issuer }] }];
  }
  if (type === "aws:amp/workspace:Workspace") {
    state.prometheusEndpoint = `https://aps-workspaces.${MOCK_REGION}.amazonaws.com/workspaces/ws-${name}/`;
  }
  return state;
}

/**
 * The parent type of each resource the mock monitor registered (its URNs read `<parent type>$<type>`),
 * keyed by `<type>::<name>`. The mocks see inputs only; the URNs are the one place with parents.
 */
export function registeredParentTypes(): Map<string, string> {
  const monitor = pulumi.runtime.getMonitor() as unknown as
    { getRegisteredResources?: () => Map<string, unknown> } | undefined;
  const parents = new Map<string, string>();
  for (const urn of monitor?.getRegisteredResources?.().keys() ?? []) {
    const [, , qualifiedType, ...name] = urn.split("::");
    const types = qualifiedType.split("$");
    if (types.length > 1) {
      parents.set(`${types[types.length - 1]}::${name.join("::")}`, types[types.length - 2]);
    }
  }
  return parents;
}
