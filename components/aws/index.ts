/** Pulumi components of haproxy-lab on AWS. Importing this module creates nothing. */
export { HaproxyLab, type HaproxyLabArgs, type HostAddresses } from "./haproxyLab";
export { HaproxyFrontend, type HaproxyFrontendArgs } from "./haproxyFrontend";
export { WebBackend, type WebBackendArgs } from "./webBackend";
export { StaticBackend, type StaticBackendArgs } from "./staticBackend";
export { LabNetwork, type LabNetworkArgs, type LabNetworkSource } from "./labNetwork";
export { ClassNetwork, type ClassNetworkArgs } from "./classNetwork";
export { debianAmiId, architectureFor, DEBIAN_AMI_OWNER, type Tags } from "./common";
