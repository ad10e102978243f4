import * as pulumi from "@pulumi/pulumi";
import { LabBackend, type BackendHostArgs } from "./backendHost";

export type StaticBackendArgs = BackendHostArgs;

/** The static backend (the seed's backend3): Apache serving logo-med.png and the other static files, no PHP. */
export class StaticBackend extends LabBackend {
  constructor(name: string, args: StaticBackendArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:StaticBackend", name, args, opts);
  }
}
