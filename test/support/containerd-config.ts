// The files a private test containerd runs from: its config.toml (own root, state, sockets, runc
// root, overlayfs, runc with cgroupfs, the CRI plugin with a local sandbox image, a plain-HTTP
// mirror for the test registry, CNI dirs) and a CNI bridge + host-local conflist.

export const PAUSE_IMAGE = 'kite.local/pause:1';
export const CNI_BIN_DIR = '/usr/lib/cni';

export interface ContainerdPaths {
  /** Root of everything this containerd owns (root/, state/, runc/, opt/ go under it). */
  dir: string;
  /** The gRPC socket (the ttrpc one is beside it). */
  address: string;
  cniConfDir: string;
}

/** config.toml (version 2) for containerd 1.6. */
export function configToml({ dir, address, cniConfDir }: ContainerdPaths): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
oom_score = 0
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "${address}"
[ttrpc]
  address = "${address}.ttrpc"
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"

[${cri}]
  sandbox_image = "${PAUSE_IMAGE}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "${dir}/runc"
        SystemdCgroup = false
  # the test registry (registry-process.ts) serves plain HTTP inside the namespace
  [${cri}.registry.mirrors."127.0.0.1:5000"]
    endpoint = ["http://127.0.0.1:5000"]
  [${cri}.cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${cniConfDir}"
    max_conf_num = 1
`;
}

/** A bridge + host-local conflist for subnet (a /24 whose .1 is the gateway). */
export function cniConfig(subnet: string, bridge: string): string {
  const base = subnet.replace(/\.0\/24$/, '');
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'kite-test',
      plugins: [
        {
          type: 'bridge',
          bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet, gateway: `${base}.1` }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
      ],
    },
    null,
    2,
  );
}

