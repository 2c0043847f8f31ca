using System.CommandLine;
using KubeOS.Agent.Node;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Hosting;

/// <summary>os-agent's options. Defaults are a KubeOS node's paths; each can be pointed elsewhere for tests.</summary>
public static class AgentCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var defaults = new NodeSystem();
        var socket = new Option<string>("--socket") { Description = "Unix socket to serve", DefaultValueFactory = _ => AgentMethods.DefaultSocketPath };
        var stateDir = new Option<string>("--state-dir") { Description = "Volatile state and temporary mounts", DefaultValueFactory = _ => defaults.StateDir };
        var certsDir = new Option<string>("--certs-dir") { Description = "Directory of the certificates named in upgrade requests", DefaultValueFactory = _ => defaults.CertsDir };
        var grubEnv = new Option<string>("--grubenv") { Description = "GRUB environment block", DefaultValueFactory = _ => defaults.GrubEnvPath };
        var grubCfg = new Option<string>("--grub-cfg") { Description = "grub.cfg edited by grub.cmdline settings", DefaultValueFactory = _ => defaults.GrubCfgPath };
        var cmdline = new Option<string>("--cmdline") { Description = "Kernel command line naming the running root", DefaultValueFactory = _ => defaults.CmdlinePath };
        var runningRoot = new Option<string>("--running-root") { Description = "Where the running root's files are; empty to read them from the device", DefaultValueFactory = _ => defaults.RunningRootDir! };
        var procSys = new Option<string>("--proc-sys") { Description = "Runtime sysctl tree", DefaultValueFactory = _ => defaults.ProcSysRoot };
        var limits = new Option<string>("--limits-conf") { Description = "pam limits file", DefaultValueFactory = _ => defaults.LimitsConfPath };
        var reboot = new Option<string>("--reboot-command") { Description = "Command that reboots the node in order", DefaultValueFactory = _ => string.Join(' ', defaults.RebootCommand) };

        var root = new RootCommand("os-agent: writes, switches and configures a KubeOS node's A/B root partitions on request over a unix socket")
        {
            socket, stateDir, certsDir, grubEnv, grubCfg, cmdline, runningRoot, procSys, limits, reboot,
        };
        root.SetAction((result, cancellationToken) =>
        {
            var runningRootDir = result.GetValue(runningRoot);
            var system = new NodeSystem
            {
                StateDir = result.GetValue(stateDir)!,
                CertsDir = result.GetValue(certsDir)!,
                GrubEnvPath = result.GetValue(grubEnv)!,
                GrubCfgPath = result.GetValue(grubCfg)!,
                CmdlinePath = result.GetValue(cmdline)!,
                RunningRootDir = string.IsNullOrEmpty(runningRootDir) ? null : runningRootDir,
                ProcSysRoot = result.GetValue(procSys)!,
                LimitsConfPath = result.GetValue(limits)!,
                RebootCommand = result.GetValue(reboot)!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            };
            return AgentHost.RunAsync(system, result.GetValue(socket)!, cancellationToken);
        });
        return root.Parse(args).InvokeAsync();
    }
}
