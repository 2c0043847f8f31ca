namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// What the session's Secret holds: the sshd configuration, the host key the client pins, the login key to accept and
/// the forced command that moves every session into the host's namespaces. The pod copies them to
/// <see cref="RuntimeFolder"/> (see module/deploy/admin-container/pod.yaml).
/// </summary>
public static class SessionFiles
{
    public const string RuntimeFolder = "/run/kubeos-admin";
    public const string SshdConfig = "sshd_config";
    public const string HostKey = "ssh_host_ecdsa_key";
    public const string AuthorizedKeys = "authorized_keys";
    public const string HostShell = "hostshell";

    /// <summary>
    /// Forced for every session, so no login stays in the container's own namespaces: a command (Invoke) runs under the
    /// host's /bin/sh, an interactive login (Enter) gets the host's bash or sh. nsenter -t 1 works because the pod
    /// shares the host's PID namespace.
    /// </summary>
    public const string HostShellScript = """
        #!/bin/sh
        # Every session of the KubeOS admin container runs in the host's namespaces.
        if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then
          exec nsenter -t 1 -m -u -i -n -p -- /bin/sh -c "$SSH_ORIGINAL_COMMAND"
        fi
        exec nsenter -t 1 -m -u -i -n -p -- /bin/sh -c 'cd /root 2>/dev/null || cd /; if [ -x /bin/bash ]; then exec /bin/bash -l; fi; exec /bin/sh -l'

        """;

    /// <param name="listenAddress">The node address sshd binds to, or null for every address of the host.</param>
    public static string SshdConfigText(int port, string? listenAddress) =>
        $"""
        # Written by the KubeOS module for one admin session.
        Port {port}
        {(listenAddress is null ? "" : $"ListenAddress {(listenAddress.Contains(':') ? $"[{listenAddress}]" : listenAddress)}")}
        HostKey {RuntimeFolder}/{HostKey}
        AuthorizedKeysFile {RuntimeFolder}/{AuthorizedKeys}
        AllowUsers root
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        ForceCommand {RuntimeFolder}/{HostShell}
        AllowTcpForwarding no
        AllowAgentForwarding no
        X11Forwarding no
        PermitTunnel no
        PrintMotd no
        PidFile none
        ClientAliveInterval 30

        """;
}
