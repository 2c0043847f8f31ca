using System.Globalization;
using System.Text;
using KubeOS.ImageBuilder.Planning;

namespace KubeOS.PowerShell.Images;

/// <summary>The -WhatIf description of a build: what the library's plan says would be done and written.</summary>
public static class ImagePlanText
{
    public static string Describe(ImageBuildPlan plan, string configPath)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Build KubeOS {ImageTypeParameter.Name(plan.Type)} image {plan.Version} from '{configPath}'.");
        text.AppendLine();
        text.Append("  Stages: ").AppendJoin(", ", plan.Stages).AppendLine();
        text.Append(CultureInfo.InvariantCulture,
            $"  Root filesystem: {(plan.RootfsCached ? "from cache" : "installed with apt")} (key {plan.RootfsCacheKey}, {plan.Packages.Count} packages)");
        text.AppendLine();
        foreach (var partition in plan.Partitions)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Partition {partition.Number} {partition.Name}: {partition.SizeMiB} MiB at {partition.StartMiB} MiB");
            text.AppendLine();
        }
        foreach (var artifact in plan.Artifacts)
        {
            var size = artifact.SizeBytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $" ({bytes / (1024 * 1024)} MiB)") : "";
            text.Append(CultureInfo.InvariantCulture, $"  Artefact {artifact.Kind}: {artifact.Path}{size}");
            text.AppendLine();
        }
        foreach (var warning in plan.Warnings)
        {
            text.Append("  Note: ").Append(warning).AppendLine();
        }
        return text.ToString().TrimEnd();
    }
}
