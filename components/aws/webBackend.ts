import * as pulumi from "@pulumi/pulumi";
import { LabBackend, type BackendHostArgs } from "./backendHost";

export type WebBackendArgs = BackendHostArgs;

/** An Apache + PHP web backend (the seed's backend1/backend2): prueba.php, sesiones.php, static.html. */
export class WebBackend extends LabBackend {
  constructor(name: string, args: WebBackendArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:WebBackend", name, args, opts);
  }
}
