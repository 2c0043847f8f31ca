using System.CommandLine;
using KubeOS.HelpGen;

// kubeos-helpgen --module <KubeOS.psd1> --docs <en-US markdown folder> --out <module en-US folder>
// Every problem is printed as "<page> : error KOSHELP: ..." (MSBuild shows those lines as build errors); exit code 1.
var moduleOption = new Option<FileInfo>("--module") { Description = "Full path of the laid-out module manifest.", Required = true };
var docsOption = new Option<DirectoryInfo>("--docs") { Description = "Folder with <Cmdlet>.md and about_*.md in PlatyPS format.", Required = true };
var outOption = new Option<DirectoryInfo>("--out") { Description = "Folder to write the MAML and about_*.help.txt into.", Required = true };
var root = new RootCommand("Generate MAML help for a binary module from PlatyPS markdown and the live cmdlets.")
{
    moduleOption, docsOption, outOption,
};
root.SetAction(parse => HelpGenerator.Run(
    parse.GetValue(moduleOption)!, parse.GetValue(docsOption)!, parse.GetValue(outOption)!, Console.Out));
return root.Parse(args).Invoke();
