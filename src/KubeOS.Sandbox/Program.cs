using KubeOS.Sandbox;

// kubeos-sandbox: serves a sandbox cluster until stdin closes or SIGTERM. The first stdout line is machine-readable.
return await SandboxCommand.RunAsync(args);
