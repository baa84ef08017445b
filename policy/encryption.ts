/** Policies 1–3: encryption at rest (EFS, EBS, EKS node disks) and in transit (EFS volumes of ECS tasks). */
import { define } from "./define";
import { T } from "./types";
import { at, list, text } from "./values";

const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/** `true` or `"true"`: launch templates take EBS booleans as strings. */
const isTrue = (v: unknown) => v === true || v === "true";

// ---------------------------------------------------------------------------------------------
// 1–3: encryption at rest and in transit
// ---------------------------------------------------------------------------------------------

export const efsEncrypted = define({
  name: "efs-encrypted",
  description: "EFS file systems are encrypted at rest with a KMS key the stack names.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.efs],
  check: (props, _args, report) => {
    if (props.encrypted !== true) report("EFS file system without `encrypted: true`.");
    if (text(props.kmsKeyId) === undefined || props.kmsKeyId === "") {
      report("EFS file system without `kmsKeyId`: encrypt it with the stack's own KMS key.");
    }
  },
});

export const ebsEncrypted = define({
  name: "ebs-encrypted",
  description:
    'EBS volumes are encrypted: the EBS StorageClass (`parameters.encrypted: "true"`), EBS volumes, launch templates and instances.',
  enforcementLevel: "mandatory",
  resourceTypes: [T.storageClass, T.ebsVolume, T.launchTemplate, T.instance, T.ebsDefault],
  check: (props, args, report) => {
    switch (args.type) {
      case T.storageClass:
        if (!EBS_PROVISIONERS.includes(text(props.provisioner) ?? "")) {
          return args.notApplicable("not an EBS StorageClass");
        }
        if (at(props, ["parameters", "encrypted"]) !== "true") {
          report(
            'EBS StorageClass without `parameters.encrypted: "true"`: its PVs are unencrypted.',
          );
        }
        break;
      case T.ebsVolume:
        if (props.encrypted !== true) report("EBS volume without `encrypted: true`.");
        break;
      case T.ebsDefault:
        if (props.enabled === false) report("`EncryptionByDefault` turned off for the region.");
        break;
      case T.launchTemplate:
        list(props.blockDeviceMappings).forEach((m, i) => {
          const ebs = at(m, ["ebs"]);
          if (ebs !== undefined && !isTrue(at(ebs, ["encrypted"]))) {
            report(`\`blockDeviceMappings[${i}].ebs.encrypted\` is not "true".`);
          }
        });
        break;
      case T.instance:
        if (!isTrue(at(props, ["rootBlockDevice", "encrypted"]))) {
          report("EC2 instance without `rootBlockDevice.encrypted: true`.");
        }
        list(props.ebsBlockDevices).forEach((d, i) => {
          if (!isTrue(at(d, ["encrypted"])))
            report(`\`ebsBlockDevices[${i}].encrypted\` is not true.`);
        });
        break;
    }
  },
});

export const eksNodeDisksEncrypted = define({
  name: "eks-node-disks-encrypted",
  description:
    "EKS managed node groups take their disks from a launch template (checked by ebs-encrypted); without one, root volumes are encrypted only if the account turns on EBS encryption by default.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.nodeGroup],
  check: (props, _args, report) => {
    if (props.launchTemplate === undefined || props.launchTemplate === null) {
      report(
        "Node group without a launch template: its root volumes (`diskSize`) are encrypted only if EBS encryption by default is on in the account and region. Use a launch template with encrypted `blockDeviceMappings`, or manage `aws.ebs.EncryptionByDefault`.",
      );
    }
  },
});

export const ecsEfsTransitEncryption = define({
  name: "ecs-efs-volumes-encrypted-in-transit",
  description:
    'EFS volumes of ECS task definitions use `transitEncryption: "ENABLED"` and IAM authorization.',
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition],
  check: (props, _args, report) => {
    list(props.volumes).forEach((v, i) => {
      const efs = at(v, ["efsVolumeConfiguration"]);
      if (efs === undefined || efs === null) return;
      const name = text(at(v, ["name"])) ?? `volumes[${i}]`;
      if (at(efs, ["transitEncryption"]) !== "ENABLED") {
        report(`EFS volume "${name}" without \`transitEncryption: "ENABLED"\`.`);
      }
      if (at(efs, ["authorizationConfig", "iam"]) !== "ENABLED") {
        report(`EFS volume "${name}" without \`authorizationConfig.iam: "ENABLED"\`.`);
      }
    });
  },
});
