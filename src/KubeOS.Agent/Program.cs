using KubeOS.Agent.Hosting;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

return await AgentCommandLine.InvokeAsync(args);
