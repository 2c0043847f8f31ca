using System.CommandLine;
using KubeOS.ImageBuilder.Cli;

return await KbimgCommand.Create().Parse(args).InvokeAsync();
