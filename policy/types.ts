/** The resource type tokens the policies inspect (Kubernetes workloads and Helm: kubernetes.ts). */

/** Type tokens by a short name. */
export const T = {
  efs: "aws:efs/fileSystem:FileSystem",
  ebsVolume: "aws:ebs/volume:Volume",
  ebsDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  instance: "aws:ec2/instance:Instance",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  container: "docker:index/container:Container",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  role: "aws:iam/role:Role",
  kmsKey: "aws:kms/key:Key",
  eksCluster: "aws:eks/cluster:Cluster",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  ampWorkspace: "aws:amp/workspace:Workspace",
} as const;
